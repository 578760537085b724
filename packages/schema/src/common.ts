import { z } from 'zod';
import { PAGE_ID_MAX_LENGTH, SITE_ID_MAX_LENGTH, DEFAULT_SITE } from './limits.ts';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const SiteIdSchema = z
  .string()
  .min(1)
  .max(SITE_ID_MAX_LENGTH)
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, "-" and "_" only');

/** A site id that falls back to the default site when omitted. */
export const SiteIdOrDefaultSchema = SiteIdSchema.default(DEFAULT_SITE);

/**
 * A page identifier: the `page` attribute verbatim, or the path of the page's canonical URL.
 * The server keys comments and articles by it.
 */
export const PageIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(PAGE_ID_MAX_LENGTH)
  .refine((value) => !CONTROL_CHARS.test(value), 'must not contain control characters');

/** Sortable ids made by the server (ULIDs). */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a valid id');

export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/**
 * The NUL rule: no string a client sends (query, path, JSON body at any depth, object keys) may
 * contain U+0000. PostgreSQL cannot store it in text and SQLite would keep it silently, so both
 * databases answer the same 400 `validation_failed` naming each field instead of storing or failing.
 */
export const NUL_CHARACTER_MESSAGE = 'must not contain the NUL character (U+0000)';

/** Dotted paths of every string (keys included) in `value` that `bad` flags, at most `limit`; iterative, so deep JSON cannot overflow the stack. */
function stringPaths(value: unknown, bad: (text: string) => boolean, limit: number): string[] {
  const found: string[] = [];
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  // A key may itself hold the NUL: the reported path spells it out rather than carrying it.
  const join = (base: string, key: string | number) => {
    const name = String(key).replaceAll('\u0000', '\\u0000');
    return base === '' ? name : `${base}.${name}`;
  };
  while (stack.length > 0 && found.length < limit) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (bad(item.value)) found.push(item.path);
    } else if (Array.isArray(item.value)) {
      for (let index = item.value.length - 1; index >= 0; index--) stack.push({ value: item.value[index], path: join(item.path, index) });
    } else if (item.value !== null && typeof item.value === 'object') {
      for (const [key, child] of Object.entries(item.value).reverse()) {
        if (bad(key)) found.push(join(item.path, key));
        stack.push({ value: child, path: join(item.path, key) });
      }
    }
  }
  return found;
}

/** Dotted paths of every string containing U+0000 in `value` (at most `limit`). */
export function nulCharacterPaths(value: unknown, limit = 20): string[] {
  return stringPaths(value, (text) => text.includes('\u0000'), limit);
}

/**
 * The surrogate rule: a string with an unpaired UTF-16 surrogate (JSON's `"\ud800"` alone) is not
 * Unicode text and has no UTF-8 form; SQLite and PostgreSQL each stored a different replacement of
 * it, and the 201 echoed what neither kept. Refused like the NUL: 400 naming each field.
 */
export const UNPAIRED_SURROGATE_MESSAGE = 'must be valid Unicode text (it holds an unpaired surrogate, U+D800–U+DFFF)';
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Dotted paths of every string holding an unpaired surrogate in `value` (at most `limit`). */
export function unpairedSurrogatePaths(value: unknown, limit = 20): string[] {
  return stringPaths(value, (text) => UNPAIRED_SURROGATE.test(text), limit);
}
