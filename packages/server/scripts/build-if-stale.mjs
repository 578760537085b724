// `pnpm start`: rebuilds what is older than its sources, then the server (a second), so a
// `git pull` never leaves a stale embed.js or console behind. Compares modification times.
// `--assets-only` (the demo, `start:dev`: they run the server from its sources): not the server.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const packages = path.resolve(import.meta.dirname, '../..');

/** The newest modification time among the files under these paths (0 when none exists). */
function newest(paths) {
  let latest = 0;
  for (const entry of paths) {
    if (!existsSync(entry)) continue;
    const info = statSync(entry);
    if (info.isFile()) latest = Math.max(latest, info.mtimeMs);
    else for (const file of readdirSync(entry, { recursive: true })) {
      const full = path.join(entry, String(file));
      if (statSync(full).isFile()) latest = Math.max(latest, statSync(full).mtimeMs);
    }
  }
  return latest;
}

const inputs = (name) => ['src', 'package.json', 'vite.config.ts', 'index.html'].map((part) => path.join(packages, name, part));
const schema = inputs('schema');
const targets = [
  { name: '@parley/widgets', output: path.join(packages, 'widgets/dist/embed.js'), sources: [...inputs('widgets'), ...schema] },
  { name: '@parley/console', output: path.join(packages, 'console/dist/index.html'), sources: [...inputs('console'), ...inputs('widgets'), ...schema] },
];

for (const target of targets) {
  const built = existsSync(target.output) ? statSync(target.output).mtimeMs : 0;
  if (built >= newest(target.sources)) continue;
  console.log(`${target.name} is ${built ? 'older than its sources' : 'not built'}: building it`);
  const result = spawnSync('pnpm', ['--filter', target.name, 'run', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
if (process.argv.includes('--assets-only')) process.exit(0);
const server = spawnSync(process.execPath, [path.join(import.meta.dirname, 'build.mjs')], { stdio: 'inherit' });
process.exit(server.status ?? 1);
