/** Elements kept by {@link sanitize}; everything else is unwrapped (its text kept) or dropped. */
const ALLOWED = new Set(['P', 'BR', 'EM', 'STRONG', 'CODE', 'PRE', 'BLOCKQUOTE', 'UL', 'OL', 'LI', 'A']);
/** Elements whose content is never text a reader should see. */
const DROPPED = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT', 'EMBED', 'NOSCRIPT', 'TEXTAREA', 'TITLE', 'SVG', 'MATH', 'SELECT']);

/**
 * The scheme check for `href`: entities are already decoded by the parser; control and
 * whitespace characters are stripped (browsers ignore them inside a scheme) before testing.
 * Relative and protocol-relative URLs are dropped too: a comment has no business linking into
 * the embedding page.
 */
export const safeHref = (href: string): boolean =>
  /^(https?:\/\/[^/\\]|mailto:)/i.test(href.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]+/g, ''));

/**
 * Defence in depth for the server's already-sanitised comment HTML: parses it inert (a
 * `<template>` runs no scripts and loads nothing) and rebuilds a fresh fragment from a tiny
 * allowlist: p, br, em, strong, code, pre, blockquote, ul, ol, li and a with only an
 * http(s)/mailto `href` and a forced `rel`. Text is copied as text; no attribute survives.
 */
export function sanitize(source: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = source;
  const out = document.createDocumentFragment();
  copy(template.content, out);
  return out;
}

function copy(from: Node, to: Node): void {
  for (const node of from.childNodes) {
    if (node.nodeType === 3) {
      to.appendChild(document.createTextNode(node.nodeValue!));
    } else if (node.nodeType === 1) {
      const tag = (node as Element).tagName.toUpperCase();
      if (DROPPED.has(tag)) continue;
      if (!ALLOWED.has(tag)) {
        copy(node, to);
        continue;
      }
      const element = document.createElement(tag);
      if (tag === 'A') {
        const href = (node as Element).getAttribute('href');
        if (href && safeHref(href)) element.setAttribute('href', href);
        element.setAttribute('rel', 'nofollow ugc noopener noreferrer');
      }
      copy(node, element);
      to.appendChild(element);
    }
  }
}

/** Per owner (a comment): the HTML last sanitised and the nodes it gave. */
const rendered = new WeakMap<object, [string, Node | Node[]]>();

/**
 * {@link sanitize}d nodes (never a string) for `owner`'s HTML, rebuilt only when it changes: the
 * same nodes render again, so Lit leaves them in place (and moves them when their part is new).
 * Keyed by the comment object, not its id: two elements showing one comment hold a copy each.
 */
export function sanitized(owner: object, source: string): Node | Node[] {
  const last = rendered.get(owner);
  if (last?.[0] === source) return last[1];
  const nodes = [...sanitize(source).childNodes];
  // Most comments are one paragraph: one node renders in the part itself, a list needs a part per node.
  const value = nodes.length === 1 ? nodes[0]! : nodes;
  rendered.set(owner, [source, value]);
  return value;
}
