import { expect } from '@open-wc/testing';
import { safeHref, sanitize } from './sanitize.ts';
import { assertOnlyAllowlisted, handlersHadTheirChance } from './test-helpers.ts';

declare global {
  interface Window {
    __xss?: unknown;
  }
}

/**
 * Raw malicious HTML handed straight to the sanitiser, as if the server's sanitiser had been
 * bypassed or a comment imported from elsewhere. Each payload would set `window.__xss` if any
 * script ran.
 */
const RAW_PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '<svg onload="window.__xss = 3"><circle r=1 /></svg>',
  '<svg><script>window.__xss = 4</script></svg>',
  '<a href="javascript:window.__xss = 5">click</a>',
  '<a href="JaVaScRiPt:window.__xss = 6">click</a>',
  '<a href="&#106;avascript:window.__xss = 7">entity</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;window.__xss = 8">hex entities</a>',
  '<a href="java&#x09;script:window.__xss = 9">tab entity</a>',
  '<a href="java\nscript:window.__xss = 10">newline</a>',
  '<a href=" &#14; javascript:window.__xss = 11">leading control</a>',
  '<a href="jav&Tab;ascript:window.__xss = 12">named tab</a>',
  '<a href="javascript&colon;window.__xss = 13">named colon</a>',
  '<a href="data:text/html,<script>window.__xss=14</script>">data</a>',
  '<a href="vbscript:msgbox(1)">vb</a>',
  '<a href="//evil.example/x">protocol-relative</a>',
  '<a href="/relative">relative</a>',
  '<p onclick="window.__xss = 15" style="color:red" class="x" id="y">attrs</p>',
  '<iframe src="javascript:window.__xss = 16"></iframe>',
  '<object data="javascript:window.__xss = 17"></object><embed src="javascript:window.__xss = 18">',
  '<form action="javascript:window.__xss = 19"><button>go</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss = 20">',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=21>"></noscript>',
  '<template><img src=x onerror="window.__xss = 22"></template>',
  '<style>@import "javascript:window.__xss = 23";</style><link rel=stylesheet href="javascript:alert(1)">',
  '<details open ontoggle="window.__xss = 24"><summary>x</summary></details>',
  '<input autofocus onfocus="window.__xss = 25">',
  '<video><source onerror="window.__xss = 26"></video><audio src=x onerror="window.__xss = 27"></audio>',
  '<a href="https://ok.example/" onmouseover="window.__xss = 28" target="_top" rel="opener">ok</a>',
  '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=29"><base href="javascript:/">',
  '<p><em><strong><code>deep<img src=x onerror="window.__xss = 30"></code></strong></em></p>',
  '<<script>script>window.__xss = 31<</script>/script>',
  '<!--<img src=x onerror="window.__xss = 32">--><p>after comment</p>',
  '<textarea><img src=x onerror="window.__xss = 33"></textarea><title><img src=x onerror="window.__xss = 34"></title>',
  '<a href="https://ok.example/"><img src=x onerror="window.__xss = 35">inside link</a>',
];

describe('sanitize (the client-side allowlist rebuild)', () => {
  afterEach(() => delete window.__xss);

  it('keeps the allowlisted markup and its text', () => {
    const fragment = sanitize(
      '<p>Hello <em>there</em> <strong>you</strong> <code>x&lt;y</code><br>line</p><pre><code>a &amp;&amp; b</code></pre><blockquote><p>q</p></blockquote><ul><li>one</li></ul><ol><li>two</li></ol><p><a href="https://example.com/a?b=1&amp;c=2">link</a> <a href="mailto:me@example.com">mail</a></p>',
    );
    const div = document.createElement('div');
    div.append(fragment);
    expect(div.innerHTML).to.equal(
      '<p>Hello <em>there</em> <strong>you</strong> <code>x&lt;y</code><br>line</p><pre><code>a &amp;&amp; b</code></pre><blockquote><p>q</p></blockquote><ul><li>one</li></ul><ol><li>two</li></ol><p><a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener noreferrer">link</a> <a href="mailto:me@example.com" rel="nofollow ugc noopener noreferrer">mail</a></p>',
    );
  });

  it('rebuilds raw malicious HTML into inert, allowlisted nodes; no script runs', async () => {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    document.body.append(host);
    try {
      for (const payload of RAW_PAYLOADS) {
        const container = document.createElement('div');
        container.append(sanitize(payload));
        root.append(container);
        assertOnlyAllowlisted(container);
      }
      await handlersHadTheirChance();
      expect(window.__xss).to.be.undefined;
      // Text survives as text: markup inside a dropped-to-text context is not re-parsed.
      expect(root.textContent).to.include('inside link');
      expect(root.textContent).to.include('after comment');
      // Unsafe links lose their href but keep their text.
      const links = [...root.querySelectorAll('a')];
      expect(links.filter((a) => a.hasAttribute('href')).map((a) => a.getAttribute('href'))).to.deep.equal(['https://ok.example/', 'https://ok.example/']);
    } finally {
      host.remove();
    }
  });

  it('parses inertly: nothing in the input is fetched or run while sanitising', async () => {
    const before = performance.getEntriesByType('resource').length;
    sanitize('<img src="/should-not-load.png"><script>window.__xss = "parse"</script>');
    await handlersHadTheirChance();
    expect(window.__xss).to.be.undefined;
    const loaded = performance.getEntriesByType('resource').slice(before).filter((entry) => entry.name.includes('should-not-load'));
    expect(loaded).to.have.length(0);
  });

  it('checks schemes after decoding and stripping control and whitespace characters', () => {
    for (const href of ['https://a.example/', 'http://a.example', 'HTTPS://A.EXAMPLE', 'mailto:x@y.z', ' https://a.example/']) {
      expect(safeHref(href), href).to.be.true;
    }
    for (const href of ['javascript:alert(1)', 'java\tscript:x', '\u0001javascript:x', 'java\u00adscript:x', 'data:text/html,x', '//a.example', '/x', 'https:/\\a', 'http:evil', '']) {
      expect(safeHref(href), JSON.stringify(href)).to.be.false;
    }
  });
});
