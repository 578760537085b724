import { createHash } from 'node:crypto';

// Pure spam rules. Each answers undefined when the comment passes, or why it does not.

/** Links in a comment: URLs with a scheme or `www.`, markdown/HTML links counted once per URL occurrence. */
export function countLinks(body: string): number {
  return body.match(/\b(?:https?:\/\/|ftp:\/\/|www\.)[^\s<>()"']+/giu)?.length ?? 0;
}

export function tooManyLinks(body: string, maxLinks: number): boolean {
  return countLinks(body) > maxLinks;
}

/**
 * The first blocked word or phrase the text contains as a whole word: case-insensitive,
 * Unicode-aware (letters and digits of any script are word characters; `Ä` matches `ä`), and
 * insensitive to compatibility forms (NFKC). `ass` does not match `class`.
 */
export function findBlockedWord(text: string, blockedWords: readonly string[]): string | undefined {
  if (blockedWords.length === 0) return undefined;
  const haystack = text.normalize('NFKC').toLocaleLowerCase('und');
  for (const word of blockedWords) {
    const needle = word.normalize('NFKC').toLocaleLowerCase('und').trim();
    if (!needle) continue;
    const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])${escaped}(?![\\p{L}\\p{N}\\p{M}_])`, 'u');
    if (pattern.test(haystack)) return word;
  }
  return undefined;
}

/** SHA-256 hex of the body with case, whitespace and punctuation runs folded: catches trivially varied repeats. */
export function normalisedBodyHash(body: string): string {
  const folded = body
    .normalize('NFKC')
    // The root locale's mapping (no Turkish dotless i): what toLocaleLowerCase('und') gives, without ICU's locale lookup.
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return createHash('sha256').update(folded).digest('hex');
}

/** The hidden field that people never see and bots fill in. */
export function honeypotTripped(value: string | undefined | null): boolean {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Too fast to be a person: the form reports how long it was open (`fillMs`, measured on the
 * reader's side only, so neither clock's setting matters). A missing one is not measured: API
 * clients and scripts (imports, the demo's seeding) send none, and a bot that skips the widget
 * could send any value anyway — the trap is for bots that drive the real form.
 */
export function submittedTooFast(fillMs: number | undefined, minFillSeconds: number): boolean {
  if (minFillSeconds <= 0 || fillMs === undefined) return false;
  return !Number.isFinite(fillMs) || fillMs < minFillSeconds * 1000;
}
