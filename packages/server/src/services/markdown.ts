import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { alreadySanitized } from './html-fast-path.ts';

/**
 * Comment markdown → safe HTML, in two independent layers:
 *  1. markdown-it with raw HTML off and only a small subset of rules on (paragraphs, emphasis,
 *     strong, inline code, code blocks, blockquotes, lists, links, autolinks, linkified URLs);
 *     link targets must pass `isSafeHref`, otherwise the markdown stays literal text.
 *  2. sanitize-html with a strict allowlist, which also re-checks every href, so a renderer bug or
 *     a future rule can't smuggle markup or a script URL through.
 * Rendered once at write time; reads serve the stored HTML.
 */

export const LINK_REL = 'nofollow ugc noopener noreferrer';

const ALLOWED_TAGS = ['p', 'br', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a'];
const ALLOWED_SCHEMES = ['http', 'https', 'mailto'];

const NAMED_ENTITIES: Record<string, string> = { colon: ':', tab: '\t', newline: '\n', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', sol: '/' };

/** Decodes HTML character references, including ones missing their `;` as browsers do. */
function decodeEntities(value: string): string {
  let previous: string;
  let current = value;
  // Loop: `&amp;#106;` decodes to `&#106;`, which a second pass would make `j`; be stricter than a browser.
  do {
    previous = current;
    current = current.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);?/gi, (match, ref: string) => {
      if (ref[0] === '#') {
        const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : '';
      }
      return NAMED_ENTITIES[ref.toLowerCase()] ?? match;
    });
  } while (current !== previous);
  return current;
}

/**
 * True only for absolute http:, https: and mailto: URLs, judged the way a browser would read the
 * attribute: entities decoded, then every control and whitespace character removed (browsers drop
 * tabs and newlines inside `java\tscript:`), then the scheme compared case-insensitively.
 * Relative and protocol-relative links are refused too: comments are shown on other sites' pages.
 */
export function isSafeHref(href: string): boolean {
  let value: string;
  try {
    value = decodeEntities(href);
  } catch {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  value = value.replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value);
  if (!scheme) return false;
  const name = scheme[1]!.toLowerCase();
  if (!ALLOWED_SCHEMES.includes(name)) return false;
  if (name === 'mailto') return true;
  return /^https?:\/\/[^/\\]/i.test(value);
}

function createRenderer() {
  const md = new MarkdownIt('zero', { html: false, linkify: true, typographer: false, breaks: false });
  md.enable(['paragraph', 'reference', 'newline', 'text', 'escape', 'entity'])
    .enable(['emphasis', 'backticks', 'code', 'fence', 'blockquote', 'list'])
    .enable(['link', 'autolink', 'linkify', 'balance_pairs', 'fragments_join', 'text_join']);
  md.validateLink = isSafeHref;
  return md;
}

const renderer = createRenderer();

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard',
  // Dropped with their content, never unwrapped into text.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'iframe', 'object', 'svg', 'math', 'template'],
  transformTags: {
    a(_tagName, attribs): sanitizeHtml.Tag {
      const href = attribs.href;
      // An unsafe link loses its href here and its tags in `exclusiveFilter`; its text is kept.
      if (href === undefined || !isSafeHref(href)) return { tagName: 'a', attribs: {} };
      return { tagName: 'a', attribs: { href, rel: LINK_REL } };
    },
  },
  // Not a rename to a disallowed tag: sanitize-html (2.18) forgets to clear a renamed-and-discarded
  // element's entry in its rename map, and the next element closing at that depth takes the new name
  // (`<a href="javascript:…">x</a> <strong>y</strong>` → `<strong>y</dropped-name>`).
  exclusiveFilter: (frame) => (frame.tag === 'a' && frame.attribs.href === undefined ? 'excludeTag' : false),
};

/**
 * Sanitises HTML to the comment allowlist. Exported for tests and for HTML from other sources.
 * HTML already in the allowlist's canonical shape skips the parser (see html-fast-path.ts).
 */
export function sanitizeCommentHtml(html: string): string {
  return alreadySanitized(html, isSafeHref, LINK_REL) ?? sanitizeWithParser(html);
}

/** sanitize-html alone, without the shortcut: what the shortcut's answers are checked against. */
export function sanitizeWithParser(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/** The one renderer for comments and previews. */
export function renderMarkdown(body: string): string {
  return sanitizeCommentHtml(renderer.render(body)).trim();
}
