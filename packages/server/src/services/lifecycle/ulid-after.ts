const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The smallest ULID greater than `ulid` (Crockford base 32, carrying leftwards). */
export function ulidAfter(ulid: string): string {
  const chars = ulid.toUpperCase().split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    const value = ALPHABET.indexOf(chars[i]!);
    if (value < 0) throw new Error(`Not a ULID: ${ulid}`);
    if (value < ALPHABET.length - 1) {
      chars[i] = ALPHABET[value + 1]!;
      return chars.join('');
    }
    chars[i] = ALPHABET[0]!;
  }
  throw new Error(`No ULID after ${ulid}`);
}
