// Prints the raw, gzip and brotli size of every chunk in dist/ (embed.js first: what a reader's
// browser runs before the first comment shows); the last line is JSON for scripts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.js') ? [join(dir, entry.name)] : [],
  );
const files = walk(dist)
  .map((file) => relative(dist, file))
  .sort((a, b) => (a === 'embed.js' ? -1 : b === 'embed.js' ? 1 : a.localeCompare(b)));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`.padStart(8);
const sizes = {};
for (const file of files) {
  const source = readFileSync(join(dist, file));
  const size = {
    raw: source.length,
    gzip: gzipSync(source, { level: 9 }).length,
    brotli: brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  sizes[file] = size;
  console.log(`dist/${file.padEnd(30)} raw ${kb(size.raw)}  gzip ${kb(size.gzip)}  brotli ${kb(size.brotli)}`);
}
console.log(JSON.stringify(sizes));
