import { AUTHOR_EMAIL_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH } from '@parley/schema';
import { decodeHTML } from 'entities';
import { renderMarkdown, sanitizeCommentHtml } from '../services/markdown.ts';
import { commentPageOf } from '../services/page-key.ts';
import type { CommentContent } from './item.ts';

/**
 * The importer's field rules, one function each, shared by every format.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * An author's name as plain text: character references decoded exactly once (`&laquo;` → «,
 * `&amp;lt;b&amp;gt;` → `&lt;b&gt;`, never markup), controls and runs of spaces squeezed.
 * Readers' widgets show it through text bindings, so whatever it says stays text.
 */
export function plainName(raw: string | null | undefined): string | null {
  return plainText(raw, AUTHOR_NAME_MAX_LENGTH);
}

/** Text decoded once, one line, at most `maxLength` characters (titles, names); null when empty. */
export function plainText(raw: string | null | undefined, maxLength: number): string | null {
  if (!raw) return null;
  const text = decodeHTML(raw).replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (!text) return null;
  // Cut by code points, not UTF-16 units; a text no longer than that in units needs no cut.
  return text.length <= maxLength ? text : [...text].slice(0, maxLength).join('');
}

/** The email as given (kept for the owner; hashed where Parley hashes), or null when it is not one. */
export function plainEmail(raw: string | null | undefined): string | null {
  const email = raw?.trim();
  if (!email || email.length > AUTHOR_EMAIL_MAX_LENGTH || !/^[^\s@]+@[^\s@]+$/.test(email)) return null;
  return email;
}

/** Only absolute http(s) URLs survive (`javascript:`, `ftp:`, relative paths do not). */
export function httpWebsite(raw: string | null | undefined): string | null {
  const value = raw ? decodeHTML(raw).trim() : '';
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const EARLIEST = Date.UTC(1990, 0, 1);

/**
 * A source timestamp as ISO-8601 UTC, or null when missing or unreadable. Accepts ISO dates (with or
 * without a zone: none means UTC), WordPress's `YYYY-MM-DD HH:MM:SS` (its `_gmt` columns) and epoch
 * seconds (Isso). `0000-00-00 00:00:00`, dates before 1990 and dates more than a day ahead are broken.
 */
export function sourceDate(raw: string | number | null | undefined, now = Date.now()): string | null {
  let ms: number;
  if (typeof raw === 'number') ms = raw * 1000;
  else {
    const text = raw?.trim();
    if (!text) return null;
    if (/^\d+(\.\d+)?$/.test(text)) ms = Number(text) * 1000;
    else {
      const iso = text.replace(/^(\d{4}-\d\d-\d\d) (\d)/, '$1T$2');
      const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(iso) || !iso.includes('T') ? iso : `${iso}Z`;
      if (!/^\d{4}-\d\d-\d\d/.test(zoned)) return null;
      ms = Date.parse(zoned);
    }
  }
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > now + 86_400_000) return null;
  return new Date(ms).toISOString();
}

const BLOCK_TAG = /<(p|div|ul|ol|blockquote|pre|h[1-6]|table)[\s>]/i;

/**
 * Old comment HTML often has no paragraphs: WordPress and Disqus keep line breaks as typed. Blank
 * lines become paragraphs and single newlines `<br>`, unless the HTML has block structure already.
 */
function paragraphs(html: string): string {
  const text = html.replace(/\r\n?/g, '\n').trim();
  if (BLOCK_TAG.test(text)) return text;
  return text
    .split(/\n{2,}/)
    .map((block) => `<p>${block.trim().replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** `<b>`/`<i>` (common in old comments) are the allowlist's `<strong>`/`<em>`: kept as emphasis, not dropped. */
function presentationalToSemantic(html: string): string {
  return html.replace(/<(\/?)(b|i)(\s[^>]*)?>/gi, (_match, close: string, tag: string) => `<${close}${tag.toLowerCase() === 'b' ? 'strong' : 'em'}>`);
}

/** The stored, sanitised HTML: the same allowlist as new comments (links re-checked, scripts dropped). */
export function commentHtml(content: CommentContent): string {
  if ('markdown' in content) return renderMarkdown(content.markdown);
  return sanitizeCommentHtml(presentationalToSemantic(paragraphs(content.html))).trim();
}

/** A plain-text source for sanitised HTML (the `body` column: searched by moderators, never rendered). */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<\/(p|blockquote|pre|li)>\s*/gi, '\n\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return decodeHTML(text).replace(/\n{3,}/g, '\n\n').trim();
}

export interface UrlMapping {
  from: string;
  to: string;
}

/** `FROM=TO` from the command line: the first `=` splits (URLs may contain more). */
export function parseUrlMapping(value: string): UrlMapping {
  const at = value.indexOf('=');
  if (at <= 0) throw new Error(`--map-url wants FROM=TO, got "${value}"`);
  return { from: value.slice(0, at), to: value.slice(at + 1) };
}

/**
 * Rewrites old prefixes or hosts (`https://old.example.com/blog/=/posts/`, the longest match first),
 * then reduces the result to the page key Parley computes for a URL: its path.
 */
export class PageMapper {
  private readonly mappings: UrlMapping[];
  constructor(mappings: readonly UrlMapping[] = []) {
    this.mappings = [...mappings].sort((a, b) => b.from.length - a.from.length);
  }

  url(raw: string): string {
    const value = raw.trim();
    for (const { from, to } of this.mappings) {
      if (value.startsWith(from)) return to + value.slice(from.length);
    }
    return value;
  }

  /** The page key, or null when there is none (an empty URL). */
  page(raw: string): string | null {
    const mapped = this.url(raw);
    return mapped ? commentPageOf(mapped) || null : null;
  }
}
