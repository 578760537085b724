import { expect } from '@open-wc/testing';
import type { RelatedFeedbackResponse } from '@parley/schema';
import { api, deep, deepAll, logIn, logOut, openConsole, SITE, uniquePage, until } from '../test/support.ts';

/** A reader's browser: the real beacon endpoints, no admin token. */
async function beacon(path: 'click' | 'impressions', body: unknown): Promise<void> {
  const response = await fetch(`/api/related/${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
  if (response.status !== 204) throw new Error(`POST /api/related/${path}: ${response.status} ${await response.text()}`);
}

describe('console: related click-through', () => {
  before(() => logIn());
  after(() => logOut());

  it('shows impressions, clicks and CTR by position and by recommended article, as the API reports them', async () => {
    const base = uniquePage('feedback');
    const page = `${base}/home`;
    const seen = [0, 1, 2, 3].map((position) => ({ target: `${base}/card-${position}`, position }));
    // Only articles of the site can be clicked (the beacon refuses other targets).
    await api('PUT', '/api/articles', { site: SITE, articles: seen.map(({ target }) => ({ url: target, title: `Card ${target.slice(-1)}` })) });
    for (let i = 0; i < 4; i++) await beacon('impressions', { site: SITE, page, seen });
    await beacon('click', { site: SITE, page, target: `${base}/card-0`, position: 0 });
    await beacon('click', { site: SITE, page, target: `${base}/card-0`, position: 0 });
    await beacon('click', { site: SITE, page, target: `${base}/card-2`, position: 2 });

    const expected = await api<RelatedFeedbackResponse>('GET', `/api/admin/related/feedback?site=${SITE}&days=30`);
    const mine = expected.byArticle.filter((row) => row.url.startsWith(base)).sort((a, b) => a.url.localeCompare(b.url));
    expect(mine.map((row) => [row.impressions, row.clicks, row.ctr])).to.deep.equal([[4, 2, 0.5], [4, 0, 0], [4, 1, 0.25], [4, 0, 0]]);

    const el = await openConsole('stats', { site: SITE });
    const stats = await until(() => deep(el, 'parley-console-stats'), 5_000, 'the stats view');
    const view = await until(() => deep(stats, 'parley-console-related-feedback'), 5_000, 'the feedback view');
    const section = await until(() => {
      const found = deep(view, 'section.related-feedback');
      return found && !found.querySelector('[role="status"]') ? found : undefined;
    }, 5_000, 'the click-through to load');
    expect(section.querySelector('[role="alert"]')).to.equal(null);

    const positions = deepAll(section, 'table.by-position tbody tr').map((tr) => [tr.querySelector('td')!.textContent, tr.querySelector('td.ctr')!.textContent]);
    expect(positions).to.deep.equal(expected.byPosition.map((row) => [String(row.position + 1), row.ctr === null ? '–' : `${(row.ctr * 100).toFixed(1)} %`]));
    const articleRows = deepAll(section, 'table.by-article tbody tr').map((tr) => tr.getAttribute('data-url'));
    expect(articleRows).to.deep.equal(expected.byArticle.map((row) => row.url));
    const card0 = deepAll(section, 'table.by-article tbody tr').find((tr) => tr.getAttribute('data-url') === `${base}/card-0`)!;
    expect(card0.querySelector('td.ctr')!.textContent).to.equal('50.0 %');
    await expect(el).to.be.accessible();
  });
});
