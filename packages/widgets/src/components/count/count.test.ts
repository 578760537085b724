import { expect, fixture, fixtureSync, html, waitUntil } from '@open-wc/testing';
import '../../embed.ts';
import type { ParleyCount } from './count.ts';
import { requestCount } from '../../controllers/count-batcher.ts';
import { COUNT_PAGES_MAX } from '@parley/schema/limits';
import { postComment, server, shadow, uniquePage, watchFetch } from '../../test/support.ts';

const text = (el: Element) => shadow(el).textContent!.trim();
const loaded = (el: Element) => waitUntil(() => text(el) !== '…', 'count did not load', { timeout: 5000 });

describe('<parley-count>', () => {
  it('shows "No comments", "1 comment" and "3 comments" from ONE request', async () => {
    const [none, one, three] = [uniquePage('none'), uniquePage('one'), uniquePage('three')];
    // Distinct bodies: the default site refuses the same text twice within its duplicate window.
    await postComment({ page: one, body: 'one a' });
    const parent = await postComment({ page: three, body: 'three a' });
    await postComment({ page: three, body: 'three b' });
    await postComment({ page: three, body: 'three reply', parentId: parent.id });

    const watch = watchFetch('/api/counts');
    try {
      // fixtureSync: `fixture` of a plain <ul> waits an animation frame, and in WebKit the local
      // count request can answer within it; the busy state must be read before the batch flushes.
      const list = fixtureSync<HTMLUListElement>(html`<ul>
        <li><parley-count page=${none} server=${server}></parley-count></li>
        <li><parley-count page=${one} server=${server}></parley-count></li>
        <li><parley-count page=${three} server=${server}></parley-count></li>
        <li><parley-count page=${three} server=${server}></parley-count></li>
      </ul>`);
      const badges = [...list.querySelectorAll<ParleyCount>('parley-count')];
      await Promise.all(badges.map((badge) => badge.updateComplete));
      expect(shadow(badges[0]!).querySelector('[aria-busy="true"]')).to.exist;
      await Promise.all(badges.map(loaded));
      expect(badges.map(text)).to.deep.equal(['No comments', '1 comment', '3 comments', '3 comments']);
      expect(watch.calls).to.have.length(1);
      expect(watch.calls[0]!.body).to.deep.equal({ site: 'default', pages: [none, one, three] });
    } finally {
      watch.restore();
    }
    await expect(document.querySelector('parley-count')).to.be.accessible();
  });

  it('asks per server and site', async () => {
    const watch = watchFetch('/api/counts');
    try {
      const page = uniquePage('sites');
      const list = await fixture<HTMLDivElement>(html`<div>
        <parley-count page=${page} server=${server}></parley-count>
        <parley-count page=${page} server=${server} site="other-site"></parley-count>
      </div>`);
      await Promise.all([...list.querySelectorAll('parley-count')].map(loaded));
      expect(watch.calls.map((call) => (call.body as { site: string }).site).sort()).to.deep.equal(['default', 'other-site']);
    } finally {
      watch.restore();
    }
  });

  it(`splits more than ${COUNT_PAGES_MAX} pages into several requests`, async () => {
    const watch = watchFetch('/api/counts');
    try {
      const pages = Array.from({ length: COUNT_PAGES_MAX + 5 }, (_, i) => uniquePage(`many-${i}`));
      const counts = await Promise.all(pages.map((page) => requestCount(server, 'default', page)));
      expect(counts.every((count) => count === 0)).to.be.true;
      expect(watch.calls.map((call) => (call.body as { pages: string[] }).pages.length)).to.deep.equal([COUNT_PAGES_MAX, 5]);
    } finally {
      watch.restore();
    }
  });

  it('refetches when page changes and counts a comment posted on the page', async () => {
    const page = uniquePage('bump');
    await postComment({ page, body: `bump ${page}` });
    const el = await fixture<ParleyCount>(html`<parley-count page=${uniquePage('empty')} server=${server}></parley-count>`);
    await loaded(el);
    expect(text(el)).to.equal('No comments');
    el.page = page;
    await waitUntil(() => text(el) === '1 comment', 'did not refetch', { timeout: 5000 });
    const comments = await fixture(html`<parley-comments page=${page} server=${server} loading="eager"></parley-comments>`);
    await waitUntil(() => comments.shadowRoot!.querySelector('[part~="comment"]'), 'thread', { timeout: 5000 });
    const form = comments.shadowRoot!.querySelector('form')!;
    form.querySelector('textarea')!.value = 'second';
    form.requestSubmit();
    await waitUntil(() => text(el) === '2 comments', 'badge not bumped', { timeout: 5000 });
  });

  it('exposes the count part', async () => {
    const el = await fixture<ParleyCount>(html`<parley-count page=${uniquePage('part')} server=${server}></parley-count>`);
    await loaded(el);
    expect(shadow(el).querySelector('[part~="count"]')).to.exist;
  });
});
