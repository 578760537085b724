// Node 20's `--test` does not expand globs, so find the *.test.ts files ourselves and hand them over.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', 'src');
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.test.ts'))
  .sort()
  .map((file) => path.join('src', file));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...process.argv.slice(2), ...files],
  { stdio: 'inherit', cwd: path.resolve(import.meta.dirname, '..') },
);
process.exit(result.status ?? 1);
