/**
 * The components' shadow-DOM stylesheets rewritten for the same markup in the light DOM, so a
 * server-rendered element is styled before (and without) script. `:host` becomes the element
 * itself with zero specificity (`:where(...)`), like `:host`, which the page's own rules override;
 * every other selector is prefixed with the element and its server-rendered marker, so the
 * page's rules for `article`, `h2` or `form` lose to the widget's and the layout matches the
 * hydrated element's (no shift when it takes over). `@keyframes` are dropped: the animations are
 * for script-driven states only.
 *
 * The input is the project's own Lit CSS (no strings with braces, no comments inside selectors),
 * so a small brace-level parser is enough.
 */

interface Block {
  prelude: string;
  body: string;
}

/** Top-level `prelude { body }` blocks of a stylesheet. */
function blocks(css: string): Block[] {
  const out: Block[] = [];
  let depth = 0;
  let start = 0;
  let open = -1;
  for (let i = 0; i < css.length; i++) {
    const char = css[i];
    if (char === '{') {
      if (depth++ === 0) open = i;
    } else if (char === '}') {
      if (--depth === 0) {
        out.push({ prelude: css.slice(start, open).trim(), body: css.slice(open + 1, i) });
        start = i + 1;
      }
    }
  }
  return out;
}

/** Splits a selector list at top-level commas (not inside `:is(a, b)` or `[x=","]`). */
function splitSelectors(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const char = list[i];
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts.filter(Boolean);
}

function scopeSelector(selector: string, host: string): string {
  const hostMatch = /^:host(?:\(([^)]*)\))?/.exec(selector);
  if (!hostMatch) return `${host} ${selector}`;
  const rest = selector.slice(hostMatch[0].length).trim();
  // The element itself: zero specificity, as `:host` has against the page's rules.
  if (!rest) return `:where(${host})${hostMatch[1] ?? ''}`;
  return `${host}${hostMatch[1] ?? ''} ${rest}`;
}

function scopeRules(css: string, host: string): string {
  return blocks(css)
    .map(({ prelude, body }) => {
      if (prelude.startsWith('@keyframes')) return '';
      if (prelude.startsWith('@')) return `${prelude}{${scopeRules(body, host)}}`;
      const selectors = splitSelectors(prelude).map((selector) => scopeSelector(selector, host));
      return `${selectors.join(',')}{${body.trim().replace(/\s*\n\s*/g, '')}}`;
    })
    .join('\n');
}

/**
 * `cssText` of the element's shadow styles, for `<tag data-parley-ssr>` children in the light DOM.
 * The element's own shadow root replaces this markup when it upgrades (light children without a
 * slot are not rendered), so these rules only ever style the server's markup and the host.
 */
export function lightDomCss(tag: string, styles: ReadonlyArray<{ cssText: string }>): string {
  const host = `${tag}[data-parley-ssr]`;
  // First, the page's own rules for `p`, `li`, `form`… are rolled back to the browser's defaults
  // inside the element, as the shadow root's boundary would (SVG shapes keep their presentation
  // attributes, which `revert` would drop); the widget's rules below win over this one.
  const reset = `${host} :where(:not(svg *)){all:revert}`;
  return [reset, ...styles.map((style) => scopeRules(style.cssText.replace(/\/\*[\s\S]*?\*\//g, ''), host))].join('\n');
}
