import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AdminThreadsResponse, Ban } from '@parley/schema';
import { adminComment, api, deep, deepAll, logIn, logOut, nothingRan, OPEN_SITE, openConsole, postComment, rowOf, SITE, uniquePage, until } from '../test/support.ts';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** Clicks a row's action button once it is there and enabled (the list re-renders after each action). */
async function click(el: HTMLElement, id: string, action: string) {
  const button = await until(() => {
    const found = deep(el, 'parley-console-queue', `li[data-id="${id}"] [data-action="${action}"]`) as HTMLButtonElement | null;
    return found && !found.disabled ? found : undefined;
  }, 5_000, `the ${action} button of ${id}`);
  button.click();
}

describe('<parley-console-queue>', () => {
  before(() => logIn());
  after(() => logOut());

  describe('reader content is text', () => {
    it('hostile names, emails, pages and bodies show literally and never run', async () => {
      const page = uniquePage(`x"><img src=x onerror=window.__pwned=3>`);
      const comment = await postComment({ page, name: HOSTILE, email: 'x@parley.test', body: `${HOSTILE} <script>window.__pwned=2</script> **bold**` });
      const el = await openConsole('pending');
      const row = await rowOf(el, comment.id);
      expect(row.querySelector('.author')!.textContent).to.equal(HOSTILE);
      expect(row.querySelector('.body')!.textContent).to.equal(`${HOSTILE} <script>window.__pwned=2</script> **bold**`);
      expect(row.querySelector('.page')!.textContent).to.equal(page);
      expect(row.querySelectorAll('img, script, strong')).to.have.length(0);
      await nothingRan(el);
    });
  });

  describe('actions change the server state', () => {
    it('reject hides it, spam marks it, delete removes it', async () => {
      const page = uniquePage('reject-spam-delete');
      const [toReject, toSpam, toDelete] = await Promise.all([
        postComment({ page, name: 'R', body: 'reject me' }),
        postComment({ page, name: 'S', body: 'spam me' }),
        postComment({ page, name: 'D', body: 'delete me' }),
      ]);
      const el = await openConsole('pending');
      await click(el, toReject.id, 'reject');
      await until(async () => (await adminComment(toReject.id, page))?.status === 'rejected', 5_000, 'rejected');
      await click(el, toSpam.id, 'spam');
      await until(async () => (await adminComment(toSpam.id, page))?.status === 'spam', 5_000, 'spam');
      await click(el, toDelete.id, 'delete');
      // Erased for good (no replies, so no placeholder).
      await until(async () => (await adminComment(toDelete.id, page)) === undefined, 5_000, 'deleted');

      el.go('spam');
      await rowOf(el, toSpam.id);
    });

    it('edit saves the new text through the inline textarea', async () => {
      const page = uniquePage('edit');
      const comment = await postComment({ page, name: 'Ed', body: 'teh typo' });
      const el = await openConsole('pending');
      const row = await rowOf(el, comment.id);
      await click(el, comment.id, 'edit');
      const textarea = await until(() => row.querySelector<HTMLTextAreaElement>('textarea'), 5_000, 'the editor');
      expect(deep(el, 'parley-console-queue')!.shadowRoot!.activeElement).to.equal(textarea);
      textarea.value = 'the typo, fixed <b>literally</b>';
      row.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
      await until(async () => (await adminComment(comment.id, page))?.body === 'the typo, fixed <b>literally</b>', 5_000, 'the edit');
      const updated = await rowOf(el, comment.id);
      await until(() => updated.querySelector('.body')?.textContent === 'the typo, fixed <b>literally</b>', 5_000, 'the new text');
    });
    it('pin and unpin a published comment; lock and unlock its thread', async () => {
      const page = uniquePage('pin-lock');
      // Published at once on the open site.
      const comment = await postComment({ page, name: 'Pia', body: 'pin me', site: OPEN_SITE });
      const el = await openConsole('all', { site: OPEN_SITE });
      await click(el, comment.id, 'pin');
      await until(async () => (await adminComment(comment.id, page, OPEN_SITE))?.pinned === true, 5_000, 'pinned');
      await click(el, comment.id, 'unpin');
      await until(async () => (await adminComment(comment.id, page, OPEN_SITE))?.pinned === false, 5_000, 'unpinned');

      const locked = async () => (await api<AdminThreadsResponse>('GET', `/api/admin/threads?site=${OPEN_SITE}`)).threads.some((t) => t.page === page && t.locked);
      await click(el, comment.id, 'lock');
      await until(locked, 5_000, 'locked');
      const reply = await fetch('/api/comments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: OPEN_SITE, page, body: 'too late' }) });
      expect(reply.status).to.equal(403);
      await click(el, comment.id, 'unlock');
      await until(async () => !(await locked()), 5_000, 'unlocked');
    });
    it('ban author by email for a chosen duration', async () => {
      const page = uniquePage('ban');
      const email = `troll-${Date.now()}@parley.test`;
      const comment = await postComment({ page, name: 'Troll', email, body: 'ban me' });
      const before = await api<{ items: Ban[] }>('GET', `/api/admin/bans?site=${SITE}`);
      const el = await openConsole('pending');
      const row = await rowOf(el, comment.id);
      await click(el, comment.id, 'ban');
      const form = await until(() => row.querySelector<HTMLFormElement>('form'), 5_000, 'the ban form');
      expect(form.querySelector<HTMLInputElement>('input[value="email"]')!.checked).to.equal(true);
      form.querySelector<HTMLSelectElement>('select')!.value = '24';
      form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
      const after = await until(async () => {
        const { items } = await api<{ items: Ban[] }>('GET', `/api/admin/bans?site=${SITE}`);
        return items.length > before.items.length ? items : undefined;
      }, 5_000, 'the ban');
      const ban = after.find((b) => !before.items.some((old) => old.id === b.id))!;
      expect(ban.kind).to.equal('email');
      const hours = (Date.parse(ban.expiresAt!) - Date.parse(ban.createdAt)) / 3_600_000;
      expect(hours).to.be.closeTo(24, 0.01);
      const refused = await fetch('/api/comments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: SITE, page, body: 'again', author: { email } }) });
      expect(refused.status).to.equal(403);
      expect((await refused.json()).error.code).to.equal('banned');
    });
  });

  describe('keyboard', () => {
    it('every action button is reachable with Tab from the row', async () => {
      const page = uniquePage('tab');
      const comment = await postComment({ page, name: 'Tabby', email: 'tab@parley.test', body: 'tab through me' });
      const el = await openConsole('pending');
      const row = await rowOf(el, comment.id);
      const queueRoot = deep(el, 'parley-console-queue')!.shadowRoot!;
      row.focus();
      const reached: string[] = [];
      for (let i = 0; i < 12; i++) {
        await sendKeys({ press: 'Tab' });
        const active = queueRoot.activeElement as HTMLElement | null;
        if (!active || !row.contains(active)) break;
        reached.push(active.dataset.action ?? active.textContent!.trim());
      }
      expect(reached).to.include.members(['approve', 'reject', 'spam', 'delete', 'edit', 'lock', 'ban']);
    });
  });

  describe('accessibility', () => {
    it('a queue with rows is axe-clean, light and dark', async () => {
      const page = uniquePage('axe');
      await postComment({ page, name: 'Axe', email: 'axe@parley.test', body: 'check me' });
      for (const theme of ['light', 'dark'] as const) {
        fixtureCleanup();
        const el = await openConsole('pending', { theme });
        await until(() => deepAll(el, 'parley-console-queue', 'li.row').length > 0, 5_000, 'rows');
        await expect(el).to.be.accessible();
      }
    });
  });

  // Publishing a comment (approve, restore, the `a` key) comes last: a server that stalls on it
  // then cannot take the other checks down with it.
  describe('publishing', () => {
    it('approve publishes a pending comment', async () => {
      const page = uniquePage('approve');
      const comment = await postComment({ page, name: 'Ada', body: 'Approve me' });
      expect((await adminComment(comment.id, page))?.status).to.equal('pending');
      const el = await openConsole('pending');
      await click(el, comment.id, 'approve');
      await until(async () => (await adminComment(comment.id, page))?.status === 'visible', 5_000, 'visible');
      await until(() => !deep(el, 'parley-console-queue', `li[data-id="${comment.id}"]`), 5_000, 'the row to leave the pending queue');
      expect(deep(el, 'parley-console-queue', '[role="status"]')!.textContent).to.equal('Approved the comment by Ada.');
    });

    it('restore brings back a rejected comment from the All view', async () => {
      const page = uniquePage('restore');
      const comment = await postComment({ page, name: 'Back', body: 'bring me back' });
      await api('POST', `/api/admin/comments/${comment.id}/reject`);
      const el = await openConsole('all');
      const queue = deep(el, 'parley-console-queue')!;
      const pageInput = deep<HTMLInputElement>(queue, '#page')!;
      pageInput.value = page;
      pageInput.dispatchEvent(new Event('input'));
      deep<HTMLSelectElement>(queue, '#status')!.value = 'rejected';
      deep(queue, '#status')!.dispatchEvent(new Event('change'));
      deep<HTMLButtonElement>(queue, 'form[role="search"] button[type="submit"]')!.click();
      await click(el, comment.id, 'restore');
      await until(async () => (await adminComment(comment.id, page))?.status === 'visible', 5_000, 'restored');
    });

    it('j/k move between rows and a approves the focused one', async () => {
      const page = uniquePage('keys');
      const first = await postComment({ page, name: 'First', body: 'one' });
      const second = await postComment({ page, name: 'Second', body: 'two' });
      const el = await openConsole('pending');
      await rowOf(el, first.id);
      const rows = () => deepAll(el, 'parley-console-queue', 'li.row');
      const queueRoot = deep(el, 'parley-console-queue')!.shadowRoot!;
      // Newest first: `second` is above `first`.
      const index = (id: string) => rows().findIndex((row) => row.dataset.id === id);
      rows()[0]!.focus();
      for (let i = 0; i < index(second.id); i++) await sendKeys({ press: 'j' });
      expect((queueRoot.activeElement as HTMLElement).dataset.id).to.equal(second.id);
      await sendKeys({ press: 'j' });
      expect((queueRoot.activeElement as HTMLElement).dataset.id).to.equal(first.id);
      await sendKeys({ press: 'k' });
      expect((queueRoot.activeElement as HTMLElement).dataset.id).to.equal(second.id);
      await sendKeys({ press: 'a' });
      await until(async () => (await adminComment(second.id, page))?.status === 'visible', 5_000, 'approved by keyboard');
      expect((await adminComment(first.id, page))?.status).to.equal('pending');
      // Focus stays in the list, on a row, for the next decision.
      await until(() => (queueRoot.activeElement as HTMLElement | null)?.matches('li.row'), 5_000, 'focus on a row');
    });

    it('the flagged queue shows the flag count, and Keep clears the flags', async () => {
      const page = uniquePage('flagged');
      const comment = await postComment({ page, name: 'Flagged', body: 'somebody reported me' });
      await api('POST', `/api/admin/comments/${comment.id}/approve`);
      const flag = await fetch(`/api/comments/${comment.id}/flag`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'abuse' }) });
      expect(flag.status).to.be.oneOf([200, 201]);
      const el = await openConsole('flagged');
      const row = await rowOf(el, comment.id);
      expect([...row.querySelectorAll('.badge')].map((badge) => badge.textContent)).to.include('1 flag');
      await click(el, comment.id, 'approve');
      await until(async () => (await adminComment(comment.id, page))?.flags === 0, 5_000, 'flags cleared');
      expect((await adminComment(comment.id, page))?.status).to.equal('visible');
      await until(() => !deep(el, 'parley-console-queue', `li[data-id="${comment.id}"]`), 5_000, 'the row to leave the flagged queue');
    });
  });
});
