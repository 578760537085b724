import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { commentHtml, htmlToText, httpWebsite, PageMapper, parseUrlMapping, plainEmail, plainName, sourceDate } from './text.ts';

describe('import field rules', () => {
  const NOW = Date.parse('2026-01-01T00:00:00Z');

  test('dates: ISO, zone-less (UTC), WordPress GMT, epoch seconds; broken ones are null', () => {
    const table: Array<[string | number | null, string | null]> = [
      ['2015-03-01T11:00:00Z', '2015-03-01T11:00:00.000Z'],
      ['2015-03-01T13:00:00+02:00', '2015-03-01T11:00:00.000Z'],
      ['2015-03-01T11:00:00', '2015-03-01T11:00:00.000Z'],
      ['2019-05-01 12:00:00', '2019-05-01T12:00:00.000Z'],
      ['1600000000.25', '2020-09-13T12:26:40.250Z'],
      [1_600_000_000, '2020-09-13T12:26:40.000Z'],
      ['0000-00-00 00:00:00', null],
      ['yesterday', null],
      ['', null],
      [null, null],
      ['1969-12-31T00:00:00Z', null],
      ['2027-01-01T00:00:00Z', null],
    ];
    for (const [raw, expected] of table) assert.equal(sourceDate(raw, NOW), expected, String(raw));
  });

  test('names are text decoded once; emails and websites are checked', () => {
    assert.equal(plainName('&laquo;Ann&raquo;'), '«Ann»');
    assert.equal(plainName('&amp;lt;b&amp;gt;'), '&lt;b&gt;', 'decoded once, not twice');
    assert.equal(plainName('  Ann\n\tB  '), 'Ann B');
    assert.equal(plainName('x'.repeat(200))!.length, 80);
    assert.equal(plainName('   '), null);
    assert.equal(plainEmail(' a@example.org '), 'a@example.org');
    assert.equal(plainEmail('not an email'), null);
    assert.equal(httpWebsite('https://ann.example/'), 'https://ann.example/');
    assert.equal(httpWebsite('HTTP://ann.example'), 'http://ann.example/');
    for (const bad of ['javascript:alert(1)', 'ftp://x.example/', '/relative', 'http://', 'data:text/html,x']) assert.equal(httpWebsite(bad), null, bad);
  });

  test('HTML keeps paragraphs, links, emphasis and code; scripts, handlers and bad links go', () => {
    assert.equal(commentHtml({ html: 'one\ntwo\n\nthree' }), '<p>one<br />two</p><p>three</p>');
    assert.equal(commentHtml({ html: '<p><b>B</b> <i>I</i> <code>c</code></p><script>x()</script>' }), '<p><strong>B</strong> <em>I</em> <code>c</code></p>');
    assert.equal(commentHtml({ html: '<p><a href="javascript:x()">bad</a> <b>ok</b></p>' }), '<p>bad <strong>ok</strong></p>');
    assert.equal(commentHtml({ html: '<p onclick="x()"><img src=x onerror=y>hi</p>' }), '<p>hi</p>');
    assert.equal(commentHtml({ markdown: 'a *b* <i>raw</i>' }), '<p>a <em>b</em> &lt;i&gt;raw&lt;/i&gt;</p>');
    assert.equal(htmlToText('<p>a &amp; b</p><p>c<br />d</p>'), 'a & b\n\nc\nd');
  });

  test('pages: the path of the URL after the longest matching --map-url', () => {
    const mapper = new PageMapper([parseUrlMapping('https://old.example.com/=/'), parseUrlMapping('https://old.example.com/blog/=/posts/')]);
    assert.equal(mapper.page('https://old.example.com/blog/a/?utm=1#c'), '/posts/a/');
    assert.equal(mapper.page('https://old.example.com/about'), '/about');
    assert.equal(mapper.page('https://other.example.org/x?y'), '/x');
    assert.equal(mapper.page(''), null);
    assert.throws(() => parseUrlMapping('nonsense'), /FROM=TO/);
  });
});
