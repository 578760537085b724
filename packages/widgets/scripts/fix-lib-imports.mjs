// tsc's rewriteRelativeImportExtensions leaves `import('./x.ts')` inside decorated classes as it is
// (seen with TypeScript 6 and experimentalDecorators): bundlers then look for a .ts file the
// package does not ship. Rewrite what is left, in dist/lib only.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', 'dist', 'lib');
let fixed = 0;
for (const file of readdirSync(root, { recursive: true }).map(String)) {
  if (!file.endsWith('.js')) continue;
  const full = path.join(root, file);
  const text = readFileSync(full, 'utf8');
  const next = text.replace(/import\((['"])(\.{1,2}\/[^'"]+)\.ts\1\)/g, (_, quote, spec) => `import(${quote}${spec}.js${quote})`);
  if (next !== text) {
    writeFileSync(full, next);
    fixed++;
  }
}
console.log(`dist/lib: relative .ts imports rewritten in ${fixed} file(s)`);
