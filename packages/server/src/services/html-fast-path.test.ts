import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Parser } from 'htmlparser2';
import { alreadySanitized } from './html-fast-path.ts';
import { LINK_REL, isSafeHref, sanitizeCommentHtml, sanitizeWithParser } from './markdown.ts';

const shortcut = (html: string) => alreadySanitized(html, isSafeHref, LINK_REL);

/** Elements and attributes of `html` as a browser-like parser reads them, outside the allowlist. */
function unsafeParts(html: string): string[] {
  const allowed: Record<string, readonly string[]> = { p: [], br: [], em: [], strong: [], code: [], pre: [], blockquote: [], ul: [], ol: [], li: [], a: ['href', 'rel'] };
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (!allowed[name]) problems.push(`<${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (!allowed[name]?.includes(attribute)) problems.push(`${name}[${attribute}]`);
          if (attribute === 'href' && !isSafeHref(value)) problems.push(`href ${value}`);
        }
      },
      oncomment: (text) => void problems.push(`<!--${text}-->`),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return problems;
}

/** Raw HTML an attacker or an old export could hand the importer (see also markdown.test.ts). */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(2)">',
  '<svg onload="alert(3)"><circle r=1 /></svg>',
  '<a href="javascript:alert(5)">click</a>',
  '<a href="JaVaScRiPt:alert(6)">click</a>',
  '<a href="&#106;avascript:alert(7)">entity</a>',
  '<a href="java&#x09;script:alert(9)">tab entity</a>',
  '<a href="java\nscript:alert(10)">newline</a>',
  '<a href=" &#14; javascript:alert(11)">leading control</a>',
  '<a href="javascript&colon;alert(13)">named colon</a>',
  '<a href="https://ok.example/"onmouseover="alert(1)">no space</a>',
  '<a href="https://ok.example/" onmouseover="alert(28)">ok</a>',
  '<a href="https://ok.example/&quot; onmouseover=&quot;alert(1)">quoted</a>',
  '<a href="https://ok.example/\' onmouseover=\'alert(1)">single</a>',
  '<a href="//evil.example/x">protocol-relative</a>',
  '<a href="https:\\\\evil.example">backslashes</a>',
  '<p onclick="alert(15)">attrs</p>',
  '<p>x</p><iframe src="javascript:alert(16)"></iframe>',
  '<<script>script>alert(31)<</script>/script>',
  '<!--<img src=x onerror="alert(32)">--><p>after comment</p>',
  '<p><em><strong><code>deep<img src=x onerror="alert(30)"></code></strong></em></p>',
  '<a href="https://ok.example/"><img src=x onerror="alert(35)">inside link</a>',
  '<a href="https://ok.example/"><a href="https://two.example/">nested</a></a>',
  '<p>a &lt;script&gt;alert(1)&lt;/script&gt; b</p>',
  '<p>a &#60;script&#62;alert(1)&#60;/script&#62;</p>',
  '<p>x</p></p><p>',
  '<em><p>block in inline</p></em>',
  '<p>unclosed <em>emphasis</p>',
  '<code>x < y</code>',
  'a > b',
  'a\u0000<script>b',
];

/** Pieces to build strings from: the canonical shapes (often), near misses and characters parsers treat specially (now and then). */
const CANONICAL = [
  'text', ' ', '\n', '\t', 'é', '\u00a0', '"', "'", '=', '/', '\f', '😀', '&amp;', '&lt;', '&gt;',
  '<p>', '</p>', '<em>', '</em>', '<strong>', '</strong>', '<code>', '</code>', '<br>', '<br/>', '<br />',
  '<a href="https://example.com/x">', '<a href="http://example.com/?a=1&amp;b=2#f">', '</a>',
];
const NEAR_MISSES = [
  '<', '>', '&', '\u0000', '\r', '&quot;', '&#39;', '&nbsp;', '&amp', '&#x3C;',
  '<a href="javascript:alert(1)">', '<a href="https://e.example/a b">', "<a href='https://e.example/'>", '<a href="mailto:a@example.org">',
  '<a href="HTTPS://E.EXAMPLE/">', '<a href="https:">', '<a href="https://">',
  '<P>', '<EM>', '<BR>', '<b>', '<i>', '</b>', '<p class="x">', '<pre>', '</pre>', '<blockquote>', '<ul>', '<li>', '<script>', '</script>', '<!--', '-->', '<img src=x>',
];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('sanitiser shortcut', () => {
  test('comment HTML in the canonical shape takes it, and comes out as the sanitiser writes it', () => {
    const html = '<p>See <a href="https://example.com/1">the plan</a> &amp; <em>vote</em>.</p><p>x &lt; y\n<strong>b</strong> <code>c</code><br>d</p>';
    const out = shortcut(html);
    assert.equal(out, sanitizeWithParser(html));
    assert.equal(out, `<p>See <a href="https://example.com/1" rel="${LINK_REL}">the plan</a> &amp; <em>vote</em>.</p><p>x &lt; y\n<strong>b</strong> <code>c</code><br />d</p>`);
    assert.equal(sanitizeCommentHtml('plain words, no markup'), 'plain words, no markup');
    assert.equal(shortcut('plain words, no markup'), 'plain words, no markup');
  });

  test('XSS payloads: refused by the shortcut, or answered exactly as the sanitiser does', () => {
    for (const payload of PAYLOADS) {
      const out = shortcut(payload);
      if (out !== undefined) assert.equal(out, sanitizeWithParser(payload), payload);
      assert.deepEqual(unsafeParts(sanitizeCommentHtml(payload)), [], payload);
    }
    assert.equal(shortcut('<a href="javascript:alert(5)">click</a>'), undefined);
    assert.equal(shortcut('<a href="https://ok.example/" onmouseover="alert(28)">ok</a>'), undefined);
  });

  test('50,000 strings built from canonical pieces and near misses: every answer is the sanitiser’s own', () => {
    const next = random(10);
    let taken = 0;
    for (let i = 0; i < 50_000; i++) {
      let html = '';
      const pieces = 1 + Math.floor(next() * 12);
      for (let j = 0; j < pieces; j++) {
        const from = next() < 0.9 ? CANONICAL : NEAR_MISSES;
        html += from[Math.floor(next() * from.length)];
      }
      const out = shortcut(html);
      if (out === undefined) continue;
      taken++;
      assert.equal(out, sanitizeWithParser(html), JSON.stringify(html));
    }
    // Enough of them take the shortcut for the comparison to mean something.
    assert.ok(taken > 5_000, `${taken} taken`);
  });
});
