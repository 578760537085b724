import { expect } from '@open-wc/testing';
import type { CommentThread } from '@parley/schema';
import { deep, logIn, logOut, OPEN_SITE, openConsole, until } from '../test/support.ts';

const disqusExport = (slug: string) => `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1"><link>https://old.example.com/${slug}/</link><title>Old &amp;laquo;post&amp;raquo;</title><createdAt>2015-01-01T00:00:00Z</createdAt><isClosed>false</isClosed></thread>
  <post dsq:id="11"><message><![CDATA[<p>A reply that comes first</p>]]></message><createdAt>2015-01-02T00:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Bea</name></author><thread dsq:id="1"/><parent dsq:id="10"/></post>
  <post dsq:id="10"><message><![CDATA[<p>First <b>comment</b><script>window.__pwned = 1</script></p>]]></message><createdAt>2015-01-01T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Ann</name></author><thread dsq:id="1"/></post>
  <post dsq:id="12"><message><![CDATA[<p>No date</p>]]></message><createdAt>soon</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Eve</name></author><thread dsq:id="1"/></post>
</disqus>`;

describe('console import and export', () => {
  before(() => logIn());
  after(() => logOut());

  it('uploads an export, shows the report, and the comments are on the page', async () => {
    const slug = `migrated-${Date.now().toString(36)}`;
    const el = await openConsole('migrate', { site: OPEN_SITE });
    const view = await until(() => deep(el, 'parley-console-migrate'), 5_000, 'the import view');
    await (view as unknown as { updateComplete: Promise<unknown> }).updateComplete;
    const input = deep<HTMLInputElement>(view, 'input[type="file"]')!;
    const files = new DataTransfer();
    files.items.add(new File([disqusExport(slug)], 'disqus.xml', { type: 'application/xml' }));
    input.files = files.files;
    deep<HTMLTextAreaElement>(view, 'textarea[name="mapUrl"]')!.value = 'https://old.example.com/=/';
    deep<HTMLButtonElement>(view, 'button[type="submit"]')!.click();
    const report = await until(() => deep(view, '.report'), 10_000, 'the report');
    expect(report.textContent).to.contain('Imported 2 comment(s)');
    expect(report.textContent).to.contain('Some items failed');
    expect(deep(view, 'details')!.textContent).to.contain('12 — unreadable date "soon"');

    const thread = (await (await fetch(`/api/comments?site=${OPEN_SITE}&page=/${slug}/`)).json()) as CommentThread;
    expect(thread.total).to.equal(2);
    expect(thread.comments[0]!.html).to.equal('<p>First <strong>comment</strong></p>');
    expect(thread.comments[0]!.replies[0]!.author.name).to.equal('Bea');
    expect(window.__pwned).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('offers the site as a Parley export and as Disqus XML', async () => {
    const el = await openConsole('migrate', { site: OPEN_SITE });
    const view = await until(() => deep(el, 'parley-console-migrate'), 5_000, 'the import view');
    const links = [...view.shadowRoot!.querySelectorAll<HTMLAnchorElement>('.downloads a')];
    expect(links.map((a) => new URL(a.href).search)).to.deep.equal([`?site=${OPEN_SITE}&format=parley`, `?site=${OPEN_SITE}&format=disqus`]);
    const response = await fetch(links[0]!.href);
    expect(response.status).to.equal(200);
    expect(JSON.parse((await response.text()).split('\n')[0]!).type).to.equal('parley-export');
  });
});
