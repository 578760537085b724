import type { FormatParser, ImportFormat } from './item.ts';
import { parseCommento } from './commento.ts';
import { parseDisqus } from './disqus.ts';
import { parseIsso } from './isso.ts';
import { parseParley } from './parley-format.ts';
import { parseRemark42 } from './remark42.ts';
import { headOf } from './source.ts';
import { parseWordPress } from './wordpress.ts';

export const PARSERS: Record<ImportFormat, FormatParser> = {
  disqus: parseDisqus,
  wordpress: parseWordPress,
  isso: parseIsso,
  remark42: parseRemark42,
  commento: parseCommento,
  parley: parseParley,
};

/** The format of a file from its first bytes (decompressed), or undefined when none fits. */
export async function detectFormat(path: string): Promise<ImportFormat | undefined> {
  const head = await headOf(path);
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\u0000') return 'isso';
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    if (/<disqus[\s>]/.test(text) || text.includes('http://disqus.com')) return 'disqus';
    if (/wordpress\.org\/export\//.test(text) || /<wp:wxr_version>/.test(text)) return 'wordpress';
    return undefined;
  }
  if (!text.startsWith('{')) return undefined;
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'));
  if (/^\{\s*"type"\s*:\s*"parley-export"/.test(firstLine)) return 'parley';
  if (/"(users|posts)"\s*:/.test(firstLine) || /"locator"\s*:/.test(text)) return 'remark42';
  if (/"(commentHex|commenterHex|commenters|pages)"\s*:/.test(text)) return 'commento';
  return undefined;
}
