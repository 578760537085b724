// Compiles the server to plain JavaScript in dist/, so production runs on `node` alone: no
// TypeScript loader in memory (tsx costs tens of MB of RSS per process) and a faster start.
// Dependencies stay in node_modules; only our own code (and @parley/schema's TS) is bundled.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const external = Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@parley/'));

await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: [...external, ...external.map((name) => `${name}/*`)],
  // Bundled code resolves the widgets bundle relative to src/; keep import.meta.url meaningful.
  logLevel: 'warning',
});
console.log('built packages/server/dist (main.js, index.js, cli.js)');
