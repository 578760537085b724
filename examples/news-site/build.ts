/**
 * Writes the static pages in `site/` and `articles.json` from `content/articles.ts`.
 * Run with `pnpm --filter @parley/example-news-site build`; the output is committed so the
 * site stays plain static files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAll } from './content/render.ts';

const here = dirname(fileURLToPath(import.meta.url));

for (const [relative, text] of renderAll()) {
  const target = join(here, relative);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, text);
  console.log(`wrote ${relative}`);
}
