// Compiles the server to plain JavaScript in dist/, so production runs on `node` alone: no
// TypeScript loader in memory (tsx costs tens of MB of RSS per process) and a faster start.
// Everything is bundled (our code, @parley/schema, and the pure-JS libraries, tree-shaken) except
// the `dependencies` of package.json: the native SQLite addon, the one thing compiled at install.
// That keeps the npm package small and its start fast (one bundle to parse, no resolution walk).
// The built widgets (embed.js + language chunks) and console are copied into dist/public/, so
// the compiled server (and the npm package) serves the assets of the same build.
// `--with-assets` (prepack): fail when those builds are missing instead of shipping without them.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// pg's optional native binding is never installed; ioredis and others probe optional modules.
const external = [...Object.keys(manifest.dependencies), 'pg-native'];

rmSync(path.join(root, 'dist'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', index: 'src/index.ts', cli: 'src/cli.ts', recommend: 'src/recommend/index.ts', 'render-client': 'src/render-client.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Whitespace and syntax only: names stay, so stack traces stay readable (maps are not packed).
  minifyWhitespace: true,
  minifySyntax: true,
  // Bundled CommonJS libraries call require() for Node built-ins: give the ES modules a real one.
  banner: { js: "import { createRequire as __parleyCreateRequire } from 'node:module'; const require = __parleyCreateRequire(import.meta.url);" },
  external: [...external, ...external.map((name) => `${name}/*`)],
  logLevel: 'warning',
});

// The render client is used from a site's own (often TypeScript) code: it ships with its types.
execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), 'src/render-client.ts', '--ignoreConfig', '--declaration', '--emitDeclarationOnly', '--outDir', 'dist', '--target', 'ES2022', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--types', 'node', '--skipLibCheck', '--allowImportingTsExtensions'], { cwd: root, stdio: 'inherit' });

const assets = [
  { from: path.resolve(root, '../widgets/dist'), to: 'dist/public/widgets', check: 'embed.js', skip: ['lib', 'types'] },
  { from: path.resolve(root, '../console/dist'), to: 'dist/public/console', check: 'index.html', skip: [] },
];
for (const asset of assets) {
  if (!existsSync(path.join(asset.from, asset.check))) {
    if (process.argv.includes('--with-assets')) {
      console.error(`missing ${path.join(asset.from, asset.check)}: run \`pnpm build\` at the repository root first`);
      process.exit(1);
    }
    console.warn(`note: ${path.relative(root, asset.from)} is not built; dist/ ships without it`);
    continue;
  }
  cpSync(asset.from, path.join(root, asset.to), {
    recursive: true,
    filter: (source) => !asset.skip.some((dir) => source === path.join(asset.from, dir)),
  });
}
console.log('built packages/server/dist (main.js, index.js, cli.js, recommend.js, render-client.js + .d.ts, public/)');
