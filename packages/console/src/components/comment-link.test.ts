import { expect, fixture, html } from '@open-wc/testing';
import type { ParleyConsole } from './console-app.ts';
import { adminComment, deep, logIn, logOut, postComment, rowOf, SITE, uniquePage, until } from '../test/support.ts';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** Opens the console as a browser following a link to `path` would (the URL is put back afterwards). */
async function visit(path: string): Promise<ParleyConsole> {
  localStorage.setItem('parley-console-site', SITE);
  history.replaceState(null, '', path);
  const el = await fixture<ParleyConsole>(html`<parley-console theme="light"></parley-console>`);
  await until(() => deep(el, 'nav'), 5_000, 'the console shell');
  return el;
}

describe('deep link /admin/comments/<id>', () => {
  let original = '';
  before(() => logIn());
  after(() => logOut());
  beforeEach(() => (original = `${location.pathname}${location.search}${location.hash}`));
  afterEach(() => history.replaceState(null, '', original));

  it('shows the comment, whatever its queue, with the queue\'s actions, and the actions work', async () => {
    const page = uniquePage('deep-link');
    const comment = await postComment({ page, name: HOSTILE, email: 'deep@parley.test', body: `${HOSTILE} waiting` });
    const other = await postComment({ page, name: 'Other', body: 'not me' });
    const el = await visit(`/admin/comments/${comment.id}`);
    expect(deep(el, 'main > h1')!.textContent).to.equal('Comment');
    expect(deep(el, 'nav a[aria-current="page"]')).to.equal(null);
    const row = await rowOf(el, comment.id);
    expect(deep(el, 'parley-console-queue', `li[data-id="${other.id}"]`)).to.equal(null);
    expect(row.querySelector('.author')!.textContent).to.equal(HOSTILE);
    expect(row.querySelector('.body')!.textContent).to.equal(`${HOSTILE} waiting`);
    expect(row.querySelectorAll('img, script')).to.have.length(0);
    expect(row.querySelector('.badge')!.textContent).to.equal('Pending');
    await expect(el).to.be.accessible();

    (row.querySelector('[data-action="approve"]') as HTMLButtonElement).click();
    await until(async () => (await adminComment(comment.id, page))?.status === 'visible', 5_000, 'approved');
    // The row stays, reloaded with the new status and the actions that fit it.
    await until(() => deep(el, 'parley-console-queue', `li[data-id="${comment.id}"] .badge`)?.textContent === 'Published', 5_000, 'the Published badge');
    expect(deep(el, 'parley-console-queue', `li[data-id="${comment.id}"] [data-action="approve"]`)).to.equal(null);
    expect(window.__pwned).to.equal(undefined);

    // Deleting it leaves an explanation, not an error. The row's buttons stay disabled until the
    // approve round trip has settled: wait for an enabled Delete, or the click does nothing.
    const enabledDelete = () => {
      const button = deep<HTMLButtonElement>(el, 'parley-console-queue', `li[data-id="${comment.id}"] [data-action="delete"]`);
      return button && !button.disabled ? button : undefined;
    };
    (await until(enabledDelete, 5_000, 'an enabled Delete button')).click();
    await until(async () => (await adminComment(comment.id, page)) === undefined, 5_000, 'deleted');
    const empty = await until(() => deep(el, 'parley-console-queue', '.empty'), 5_000, 'the empty state');
    expect(empty.textContent).to.contain('no longer exists');
    expect(deep(el, 'parley-console-queue', '[role="alert"]')!.textContent).to.equal('');
  });

  it('the nav leaves the comment for a queue, and Back returns to it', async () => {
    const page = uniquePage('deep-link-nav');
    const comment = await postComment({ page, name: 'Nav', body: 'come back' });
    const el = await visit(`/admin/comments/${comment.id}`);
    await rowOf(el, comment.id);
    deep<HTMLAnchorElement>(el, 'nav a[href="/admin/bans"]')!.click();
    await el.updateComplete;
    expect(location.pathname).to.equal('/admin/bans');
    expect(deep(el, 'main > h1')!.textContent).to.equal('Bans');
    history.back();
    await until(() => location.pathname === `/admin/comments/${comment.id}` && deep(el, 'main > h1')?.textContent === 'Comment', 5_000, 'back to the comment');
    await rowOf(el, comment.id);
  });

  it('links in mails sent before the fix (/admin#/comments/<id>) still open the comment', async () => {
    const comment = await postComment({ page: uniquePage('deep-link-legacy'), name: 'Old', body: 'old link' });
    const el = await visit(`/admin#/comments/${comment.id}`);
    await rowOf(el, comment.id);
    expect(location.pathname).to.equal(`/admin/comments/${comment.id}`);
    expect(location.hash).to.equal('');
  });

  it('an unknown id says so', async () => {
    const el = await visit('/admin/comments/01J0000000000000000000000Z');
    const empty = await until(() => deep(el, 'parley-console-queue', '.empty'), 5_000, 'the empty state');
    expect(empty.textContent).to.contain('no longer exists');
    await expect(el).to.be.accessible();
  });
});
