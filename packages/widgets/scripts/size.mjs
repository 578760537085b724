// Prints the raw, gzip and brotli size of dist/embed.js; the last line is JSON for scripts.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const file = new URL('../dist/embed.js', import.meta.url);
const source = readFileSync(file);
const sizes = {
  raw: source.length,
  gzip: gzipSync(source, { level: 9 }).length,
  brotli: brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(`dist/embed.js  raw ${kb(sizes.raw)}  gzip ${kb(sizes.gzip)}  brotli ${kb(sizes.brotli)}`);
console.log(JSON.stringify(sizes));
