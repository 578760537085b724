/**
 * The few escaping rules the server-rendered fragments need, in one place. Reader content reaches
 * the markup only through these (names, pages, titles: text) or as the comment HTML the server
 * sanitised (`sanitizeCommentHtml`), exactly as the API hands it to the widget.
 */

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values (always double-quoted by the templates). */
export function escapeHtml(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (char) => TEXT_ESCAPES[char]!);
}

/**
 * JSON inside `<script type="application/json">` or `application/ld+json`: the HTML parser ends the
 * script at `</script` and treats `<!--` specially, whatever the JSON means, so every `<`, `>` and
 * `&` becomes a JSON escape (`\u003c`), as do U+2028/2029. `JSON.parse` reads them back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A Lit template whose values are plain strings or numbers (the identicon) as HTML text. */
export function templateToHtml(template: { strings: readonly string[]; values: readonly unknown[] }): string {
  let out = template.strings[0] ?? '';
  template.values.forEach((value, i) => {
    const before = template.strings[i] ?? '';
    // `attr=${value}` is unquoted in the template: quote it here.
    out += before.endsWith('=') ? `"${escapeHtml(String(value))}"` : escapeHtml(String(value));
    out += template.strings[i + 1] ?? '';
  });
  return out;
}
