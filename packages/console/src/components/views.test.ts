import { expect } from '@open-wc/testing';
import type { AdminStats, ArticlesUpsertResult, Ban, RelatedClicksResponse } from '@parley/schema';
import { api, deep, deepAll, logIn, logOut, OPEN_SITE, openConsole, postComment, SITE, uniquePage, until } from '../test/support.ts';

describe('console views', () => {
  before(() => logIn());
  after(() => logOut());

  describe('navigation', () => {
    it('the nav marks the current view and the heading follows it', async () => {
      const el = await openConsole('pending');
      const links = deepAll<HTMLAnchorElement>(el, 'nav a');
      expect(links.map((a) => a.textContent)).to.deep.equal(['Pending', 'Flagged', 'Spam', 'All comments', 'Statistics', 'Webhooks', 'Bans', 'Privacy', 'Import & export']);
      links[4]!.click();
      await el.updateComplete;
      expect(deep(el, 'main > h1')!.textContent).to.equal('Statistics');
      expect(deep(el, 'nav a[aria-current="page"]')!.textContent).to.equal('Statistics');
      expect(deep(el, 'parley-console-stats')).to.exist;
    });
  });

  describe('statistics', () => {
    it('totals, the per-day chart (role=img + summary + table) and most discussed pages match the API', async () => {
      // The open site publishes at once: the page counts among the most discussed.
      const page = uniquePage('stats');
      await postComment({ page, name: 'Stat', body: 'count me', site: OPEN_SITE });
      await postComment({ page, name: 'Stat', body: 'and me', site: OPEN_SITE });
      const expected = await api<AdminStats>('GET', `/api/admin/stats?site=${OPEN_SITE}&days=30`);
      const el = await openConsole('stats', { site: OPEN_SITE });
      const stats = await until(() => deep(el, 'parley-console-stats'), 5_000, 'the stats view');
      await until(() => deep(stats, 'svg.chart'), 5_000, 'the chart');
      const totals = deepAll(stats, '.total').map((node) => [node.querySelector('dt')!.textContent, node.querySelector('dd')!.textContent]);
      expect(totals).to.deep.equal([
        ['Published', expected.totals.visible.toLocaleString('en')],
        ['Pending', expected.totals.pending.toLocaleString('en')],
        ['Flagged', expected.totals.flagged.toLocaleString('en')],
        ['Spam', expected.totals.spam.toLocaleString('en')],
      ]);
      const chart = deep(stats, 'svg.chart')!;
      expect(chart.getAttribute('role')).to.equal('img');
      expect(deepAll(stats, 'svg.chart rect.bar')).to.have.length(expected.perDay.length);
      const total = expected.perDay.reduce((sum, d) => sum + d.count, 0);
      expect(deep(stats, 'svg.chart desc')!.textContent).to.contain(`${total} comment`);
      const cells = deepAll(stats, 'details tbody tr').map((tr) => tr.querySelector('td.num')!.textContent);
      expect(cells).to.deep.equal(expected.perDay.map((d) => String(d.count)));
      const discussed = deepAll(stats, 'section[aria-labelledby="discussed-title"] tbody .page').map((node) => node.textContent);
      expect(discussed).to.deep.equal(expected.mostDiscussed.map((row) => row.page));
      expect(discussed).to.include(page);
      await expect(el).to.be.accessible();
    });
  });

  describe('related clicks', () => {
    /** A reader following a "You may also like" card: the real beacon endpoint, no admin token. */
    async function click(site: string, page: string, target: string): Promise<void> {
      const response = await fetch('/api/related/click', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ site, page, target }),
      });
      if (response.status !== 204) throw new Error(`POST /api/related/click: ${response.status} ${await response.text()}`);
    }

    const clicksView = async (site: string) => {
      const el = await openConsole('stats', { site });
      const stats = await until(() => deep(el, 'parley-console-stats'), 5_000, 'the stats view');
      const section = await until(() => {
        const found = deep(stats, 'section.related-clicks');
        return found && !found.querySelector('[role="status"]') ? found : undefined;
      }, 5_000, 'the related clicks to load');
      const alert = section.querySelector('[role="alert"]');
      if (alert) throw new Error(`The view could not load the clicks: ${alert.textContent}`);
      return { el, stats, section };
    };

    it('shows per article the title as text, the URL and the clicks of the period, most clicked first', async () => {
      const base = uniquePage('related');
      const hostile = '<img src=x onerror="window.__pwned=1">Tide <b>tables</b>';
      const articles = [
        { url: `${base}/tides`, title: hostile },
        { url: `${base}/harbour`, title: 'Harbour dues & “fees”' },
        { url: `${base}/ferries`, title: 'Ferry timetable' },
      ];
      const imported = await api<ArticlesUpsertResult>('PUT', '/api/articles', { site: SITE, articles });
      expect(imported.inserted).to.equal(3);
      // Harbour 3, tides 2; ferries is never clicked; a target that is no article is refused, not counted.
      const from = `${base}/home`;
      for (let i = 0; i < 3; i++) await click(SITE, from, `${base}/harbour`);
      for (let i = 0; i < 2; i++) await click(SITE, from, `${base}/tides?utm=x#top`);
      const refused = await fetch('/api/related/click', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ site: SITE, page: from, target: `${base}/unindexed` }) });
      expect(refused.status).to.equal(400);

      const expected = await api<RelatedClicksResponse>('GET', `/api/admin/related/clicks?site=${SITE}&days=30`);
      const mine = expected.items.filter((item) => item.url.startsWith(base));
      expect(mine).to.deep.equal([
        { url: `${base}/harbour`, title: 'Harbour dues & “fees”', clicks: 3 },
        { url: `${base}/tides`, title: hostile, clicks: 2 },
      ]);

      const { el, section } = await clicksView(SITE);
      const rows = deepAll(section, 'tbody tr');
      // Every article the API reports, in its order (most clicked first), each with title, URL and count.
      expect(rows.map((tr) => tr.getAttribute('data-url'))).to.deep.equal(expected.items.map((item) => item.url));
      const counts = rows.map((tr) => Number(tr.querySelector('td.num')!.textContent!.replace(/,/g, '')));
      expect(counts).to.deep.equal([...counts].sort((a, b) => b - a));
      const shown = rows
        .filter((tr) => tr.getAttribute('data-url')!.startsWith(base))
        .map((tr) => [tr.querySelector('td.title')!.textContent, tr.querySelector('td.page')!.textContent, tr.querySelector('td.num')!.textContent]);
      expect(shown).to.deep.equal([
        ['Harbour dues & “fees”', `${base}/harbour`, '3'],
        [hostile, `${base}/tides`, '2'],
      ]);
      // The hostile title stayed text: no element was made from it and nothing ran.
      expect(section.querySelector('tbody img, tbody b')).to.equal(null);
      expect(window.__pwned).to.equal(undefined);
      expect(section.querySelector('caption')!.textContent).to.contain('most clicked first');
      expect(deep(section, 'h2')!.textContent).to.equal('Related clicks');
      await expect(el).to.be.accessible();

      // The period picker drives the clicks too: the view asks again for the last 7 days.
      const week = await api<RelatedClicksResponse>('GET', `/api/admin/related/clicks?site=${SITE}&days=7`);
      const stats = deep(el, 'parley-console-stats')!;
      const days = deep<HTMLSelectElement>(stats, '#days')!;
      days.value = '7';
      days.dispatchEvent(new Event('change'));
      await until(() => deep(stats, 'section.related-clicks .summary')?.textContent?.includes(`since ${new Date(`${week.since}T00:00:00Z`).toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' })}`), 5_000, 'the 7-day clicks');
      expect(deepAll(stats, 'section.related-clicks tbody tr').map((tr) => tr.getAttribute('data-url'))).to.deep.equal(week.items.map((item) => item.url));
    });

    it('shows an empty state when no related card was clicked in the period', async () => {
      // Only the test above records clicks, and only on SITE: the open site has none.
      const expected = await api<RelatedClicksResponse>('GET', `/api/admin/related/clicks?site=${OPEN_SITE}&days=30`);
      expect(expected.items).to.deep.equal([]);
      const { el, section } = await clicksView(OPEN_SITE);
      expect(section.querySelector('table')).to.equal(null);
      expect(section.querySelector('.empty')!.textContent).to.match(/^No clicks on related articles since /);
      await expect(el).to.be.accessible();
    });
  });

  describe('webhooks', () => {
    it('lists the delivery log of the site', async () => {
      await postComment({ page: uniquePage('hook'), name: 'Hook', body: 'fires a webhook' });
      const expected = await until(async () => {
        const { items } = await api<{ items: Array<{ id: string; event: string; url: string }> }>('GET', `/api/admin/webhooks/deliveries?site=${SITE}`);
        return items.length > 0 ? items : undefined;
      }, 5_000, 'a delivery');
      const el = await openConsole('webhooks');
      const view = await until(() => deep(el, 'parley-console-webhooks'), 5_000, 'the view');
      const rows = await until(() => {
        const found = deepAll(view, 'tbody tr');
        return found.length >= expected.length ? found : undefined;
      }, 5_000, 'rows');
      expect(rows[0]!.querySelector('.url')!.textContent).to.equal(expected[0]!.url);
      expect(rows.map((row) => row.children[1]!.textContent)).to.deep.equal(expected.slice(0, rows.length).map((item) => item.event));
      await expect(el).to.be.accessible();
    });
  });

  describe('bans', () => {
    it('lists active bans and Unban lifts one on the server', async () => {
      const ban = await api<Ban>('POST', '/api/admin/bans', { site: SITE, kind: 'ip', valueHash: 'ab'.repeat(32), reason: '<b>spam wave</b>' });
      const el = await openConsole('bans');
      const view = await until(() => deep(el, 'parley-console-bans'), 5_000, 'the view');
      const row = await until(() => deepAll(view, 'tbody tr').find((tr) => tr.querySelector('.hash')!.getAttribute('title') === ban.valueHash), 5_000, 'the ban row');
      expect(row.children[2]!.textContent).to.equal('<b>spam wave</b>');
      await expect(el).to.be.accessible();
      row.querySelector<HTMLButtonElement>('button')!.click();
      await until(async () => !(await api<{ items: Ban[] }>('GET', `/api/admin/bans?site=${SITE}`)).items.some((b) => b.id === ban.id), 5_000, 'the unban');
      await until(() => deep(view, '[role="status"]')!.textContent === 'Lifted the IP ban.', 5_000, 'the announcement');
    });
  });
});
