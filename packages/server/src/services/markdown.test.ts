import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Parser } from 'htmlparser2';
import { LINK_REL, isSafeHref, renderMarkdown, sanitizeCommentHtml } from './markdown.ts';

const ALLOWED: Record<string, readonly string[]> = {
  p: [], br: [], em: [], strong: [], code: [], pre: [], blockquote: [], ul: [], ol: [], li: [], a: ['href', 'rel'],
};

/** Parses the output as a browser-like HTML parser would and checks every element and attribute. */
function assertOnlyAllowlisted(html: string): void {
  const problems: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const allowed = ALLOWED[name];
        if (!allowed) problems.push(`element <${name}>`);
        for (const [attribute, value] of Object.entries(attributes)) {
          if (!allowed?.includes(attribute)) problems.push(`attribute ${name}[${attribute}]`);
          if (attribute === 'href' && !/^(https?:\/\/|mailto:)/.test(value)) problems.push(`href ${JSON.stringify(value)}`);
          if (attribute === 'rel' && value !== LINK_REL) problems.push(`rel ${value}`);
        }
        if (name === 'a' && attributes.rel !== LINK_REL) problems.push('link without rel');
      },
      oncomment(text) {
        problems.push(`comment ${text}`);
      },
      onprocessinginstruction(name) {
        problems.push(`instruction ${name}`);
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  assert.deepEqual(problems, [], `unsafe output: ${html}`);
}

describe('markdown subset', () => {
  const cases: Array<[string, string, string]> = [
    ['paragraphs', 'one\n\ntwo', '<p>one</p>\n<p>two</p>'],
    ['emphasis and strong', '*a* _b_ **c**', '<p><em>a</em> <em>b</em> <strong>c</strong></p>'],
    ['inline code escapes', '`<b>`', '<p><code>&lt;b&gt;</code></p>'],
    ['fenced code (no class attribute)', '```js\nlet a = 1 < 2;\n```', '<pre><code>let a = 1 &lt; 2;\n</code></pre>'],
    ['indented code', '    code', '<pre><code>code\n</code></pre>'],
    ['blockquote', '> said', '<blockquote>\n<p>said</p>\n</blockquote>'],
    ['bullet list', '- a\n- b', '<ul>\n<li>a</li>\n<li>b</li>\n</ul>'],
    ['ordered list', '1. a\n2. b', '<ol>\n<li>a</li>\n<li>b</li>\n</ol>'],
    ['link', '[site](https://example.org/x?a=1&b=2)', `<p><a href="https://example.org/x?a=1&amp;b=2" rel="${LINK_REL}">site</a></p>`],
    ['autolink', '<https://example.org>', `<p><a href="https://example.org" rel="${LINK_REL}">https://example.org</a></p>`],
    ['linkified URL', 'see https://example.org now', `<p>see <a href="https://example.org" rel="${LINK_REL}">https://example.org</a> now</p>`],
    ['mailto', '[me](mailto:a@example.org)', `<p><a href="mailto:a@example.org" rel="${LINK_REL}">me</a></p>`],
    ['reference link', '[x][1]\n\n[1]: https://example.org', `<p><a href="https://example.org" rel="${LINK_REL}">x</a></p>`],
    ['hard break', 'a  \nb', '<p>a<br />\nb</p>'],
    ['heading stays text', '# Title', '<p># Title</p>'],
    ['setext heading stays text', 'Title\n===', '<p>Title\n===</p>'],
    ['image is not an image', '![alt](https://example.org/a.png)', `<p>!<a href="https://example.org/a.png" rel="${LINK_REL}">alt</a></p>`],
    ['table stays text', '| a |\n|---|\n| 1 |', '<p>| a |\n|---|\n| 1 |</p>'],
    ['strikethrough stays text', '~~x~~', '<p>~~x~~</p>'],
    ['horizontal rule stays text', '---', '<p>---</p>'],
    ['relative link refused', '[x](/local)', '<p>[x](/local)</p>'],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      const html = renderMarkdown(input);
      assert.equal(html, expected);
      assertOnlyAllowlisted(html);
    });
  }
});

describe('XSS payloads render to inert markup', () => {
  const payloads: Array<[string, string]> = [
    ['script tag', '<script>alert(1)</script>'],
    ['img onerror', '<img src=x onerror=alert(1)>'],
    ['event handler on allowed tag', '<p onclick="alert(1)">x</p>'],
    ['javascript: link', '[x](javascript:alert(1))'],
    ['mixed-case scheme', '[x](JaVaScRiPt:alert(1))'],
    ['tab inside scheme (entity)', '[x](java&#x09;script:alert(1))'],
    ['entity-encoded first letter', '[x](&#106;avascript:alert(1))'],
    ['entity without semicolon', '[x](&#106avascript:alert(1))'],
    ['data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript: link', '[x](vbscript:msgbox(1))'],
    ['autolink with javascript:', '<javascript:alert(1)>'],
    ['reference link to javascript:', '[x][1]\n\n[1]: javascript:alert(1)'],
    ['link title injection', '[x](https://a.example "title\\" onmouseover=\\"alert(1))'],
    ['HTML block', '<div>\n<iframe src="https://evil.example"></iframe>\n</div>'],
    ['svg onload', '<svg onload=alert(1)>'],
    ['anchor with encoded javascript', '<a href="&#x6A;avascript:alert(1)">x</a>'],
    ['style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
    ['style tag', '<style>*{display:none}</style>'],
    ['protocol-relative link', '[x](//evil.example)'],
    ['backslash host trick', '[x](https:\\\\evil.example)'],
    ['nested brackets', '[[x](javascript:alert(1))](https://ok.example)'],
    ['html comment', '<!-- <script>alert(1)</script> -->'],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>">'],
    ['form action', '<form action="javascript:alert(1)"><button>x</button></form>'],
    ['newline in scheme', '[x](java\nscript:alert(1))'],
  ];
  for (const [name, payload] of payloads) {
    test(name, () => {
      const html = renderMarkdown(payload);
      assertOnlyAllowlisted(html);
      assert.doesNotMatch(html, /<(script|img|svg|iframe|style|form|div)/i);
    });
  }
});

describe('sanitiser on raw HTML (second layer)', () => {
  const inputs: Array<[string, string, string]> = [
    ['drops scripts with content', '<p>a<script>alert(1)</script>b</p>', '<p>ab</p>'],
    ['drops handlers and styles', '<p onclick="x" style="color:red" class="c">t</p>', '<p>t</p>'],
    ['unsafe href keeps only the text', '<a href="&#x6A;avascript:alert(1)">click</a>', 'click'],
    ['tab-split scheme', '<a href="java\tscript:alert(1)">click</a>', 'click'],
    ['data URL', '<a href="data:text/html,x">click</a>', 'click'],
    ['safe link gets rel and loses target', '<a href="https://ok.example" target="_blank" rel="opener">ok</a>', `<a href="https://ok.example" rel="${LINK_REL}">ok</a>`],
    ['svg dropped with content', '<svg onload="alert(1)"><text>x</text></svg>y', 'y'],
    ['img dropped', '<img src="https://x.example/a.png" onerror="alert(1)">', ''],
    // The element closing after a dropped link at the same depth keeps its own name.
    ['the tag after an unsafe link closes as itself', '<a href="javascript:alert(1)">x</a> <strong>y</strong>', 'x <strong>y</strong>'],
    ['inside a paragraph too', '<p><a href="vbscript:x">a<em>b</em></a> <em>c</em></p><p>d</p>', '<p>a<em>b</em> <em>c</em></p><p>d</p>'],
    ['a link without href keeps only the text', '<a name="x">t</a> <code>z</code>', 't <code>z</code>'],
    ['an unclosed unsafe link', '<a href="javascript:x">open <em>e</em>', 'open <em>e</em>'],
  ];
  for (const [name, input, expected] of inputs) {
    test(name, () => {
      const html = sanitizeCommentHtml(input);
      assert.equal(html, expected);
      assertOnlyAllowlisted(html);
    });
  }
});

describe('isSafeHref', () => {
  const safe = ['https://example.org', 'http://example.org/a', 'HTTPS://EXAMPLE.ORG', 'mailto:a@example.org'];
  const unsafe = [
    'javascript:alert(1)', 'JAVASCRIPT:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'java\u0000script:alert(1)',
    '&#106;avascript:alert(1)', '&#x6A;avascript:alert(1)', '&#0000106avascript:alert(1)', 'javascript&colon;alert(1)',
    '&amp;#106;avascript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '//evil.example', '/relative', 'https:\\\\evil.example', '',
  ];
  for (const href of safe) test(`accepts ${JSON.stringify(href)}`, () => assert.equal(isSafeHref(href), true));
  for (const href of unsafe) test(`refuses ${JSON.stringify(href)}`, () => assert.equal(isSafeHref(href), false));
});
