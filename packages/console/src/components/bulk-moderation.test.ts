import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AdminCommentsResponse } from '@parley/schema';
import type { ParleyConsole } from './console-app.ts';
import { api, deep, deepAll, logIn, logOut, openConsole, postComment, SITE, uniquePage, until } from '../test/support.ts';

/** Every comment of `page` on the test site, as the admin API lists them now (any status). */
async function listed(page: string) {
  return (await api<AdminCommentsResponse>('GET', `/api/admin/comments?${new URLSearchParams({ site: SITE, status: 'all', page, limit: '200' })}`)).comments;
}

/** The All view filtered to `page` (pending only), with every row loaded. */
async function openPage(page: string, expected: number): Promise<{ el: ParleyConsole; queue: HTMLElement }> {
  const el = await openConsole('all');
  const queue = deep(el, 'parley-console-queue')!;
  const pageInput = deep<HTMLInputElement>(queue, '#page')!;
  pageInput.value = page;
  pageInput.dispatchEvent(new Event('input'));
  deep<HTMLSelectElement>(queue, '#status')!.value = 'pending';
  deep(queue, '#status')!.dispatchEvent(new Event('change'));
  deep<HTMLButtonElement>(queue, 'form[role="search"] button[type="submit"]')!.click();
  await until(async () => {
    const more = deep<HTMLButtonElement>(queue, '.more button');
    if (more && !more.disabled) more.click();
    return deepAll(queue, 'li.row').length === expected && !more;
  }, 10_000, `${expected} rows`);
  return { el, queue };
}

const status = (queue: HTMLElement) => deep(queue, '[role="status"]')!.textContent;
const bulkButton = (queue: HTMLElement, action: string) => deep<HTMLButtonElement>(queue, `[data-bulk="${action}"]`)!;

describe('bulk moderation', () => {
  before(() => logIn());
  after(() => logOut());

  it('a flood of 30 held comments: select all, approve, and the server lists them all as visible', async () => {
    const page = uniquePage('flood');
    const posted = await Promise.all(Array.from({ length: 30 }, (_, i) => postComment({ page, name: `Flooder ${i}`, body: `test comment number ${i}` })));
    expect(posted.every((comment) => comment.status === 'pending')).to.equal(true);
    const { el, queue } = await openPage(page, 30);

    // Every row has a checkbox named after its author and text.
    const boxes = deepAll<HTMLInputElement>(queue, 'li.row input[data-select]');
    expect(boxes).to.have.length(30);
    expect(boxes.map((box) => box.getAttribute('aria-label'))).to.include('Select the comment by Flooder 7: test comment number 7');
    expect(bulkButton(queue, 'approve').disabled).to.equal(true);

    const all = deep<HTMLInputElement>(queue, 'input[data-select-all]')!;
    all.click();
    await until(() => deep(queue, '[data-count]')?.textContent === '30 selected', 5_000, 'the count');
    expect(boxes.every((box) => box.checked)).to.equal(true);
    expect(bulkButton(queue, 'approve').disabled).to.equal(false);
    expect(bulkButton(queue, 'approve').textContent!.trim()).to.equal('Approve selected (30)');
    await expect(el).to.be.accessible();

    bulkButton(queue, 'approve').click();
    await until(() => status(queue) === 'Approved 30 comments.', 10_000, 'the announcement');
    const after = await listed(page);
    expect(after).to.have.length(30);
    expect(after.every((comment) => comment.status === 'visible')).to.equal(true);
    // They left the pending list, and nothing is selected any more.
    await until(() => deepAll(queue, 'li.row').length === 0, 5_000, 'the pending rows to go');
    expect(deep(queue, '[role="alert"]')!.textContent).to.equal('');
  });

  it('x toggles the focused row; Delete selected asks first, Cancel keeps them, confirming erases them', async () => {
    const page = uniquePage('bulk-delete');
    const [first, second, third] = await Promise.all([
      postComment({ page, name: 'Uno', body: 'one' }),
      postComment({ page, name: 'Dos', body: 'two' }),
      postComment({ page, name: 'Tres', body: 'three' }),
    ]);
    const { el, queue } = await openPage(page, 3);
    const rows = deepAll(queue, 'li.row');
    rows[0]!.focus();
    await sendKeys({ press: 'x' });
    await sendKeys({ press: 'j' });
    await sendKeys({ press: 'x' });
    await until(() => deep(queue, '[data-count]')?.textContent === '2 selected', 5_000, 'two selected by x');
    await sendKeys({ press: 'x' });
    await until(() => deep(queue, '[data-count]')?.textContent === '1 selected', 5_000, 'x again unselects');
    await sendKeys({ press: 'j' });
    await sendKeys({ press: 'x' });
    await until(() => deep(queue, '[data-count]')?.textContent === '2 selected', 5_000, 'two selected');
    const selectedIds = deepAll<HTMLInputElement>(queue, 'li.row input[data-select]')
      .filter((box) => box.checked)
      .map((box) => box.closest('li')!.dataset.id);
    expect(deep<HTMLInputElement>(queue, 'input[data-select-all]')!.indeterminate).to.equal(true);

    bulkButton(queue, 'delete').click();
    const confirm = await until(() => deep<HTMLButtonElement>(queue, '[data-confirm-delete]'), 5_000, 'the confirmation');
    expect(queue.shadowRoot!.activeElement).to.equal(confirm);
    expect(confirm.textContent).to.equal('Delete 2 comments');
    await expect(el).to.be.accessible();
    deep<HTMLButtonElement>(queue, '[data-cancel-delete]')!.click();
    await until(() => !deep(queue, '[data-confirm-delete]'), 5_000, 'the confirmation to close');
    expect((await listed(page)).map((comment) => comment.id).sort()).to.deep.equal([first.id, second.id, third.id].sort());

    bulkButton(queue, 'delete').click();
    (await until(() => deep<HTMLButtonElement>(queue, '[data-confirm-delete]'), 5_000, 'the confirmation')).click();
    await until(() => status(queue) === 'Deleted 2 comments.', 10_000, 'the announcement');
    const left = await listed(page);
    expect(left.map((comment) => comment.id)).to.deep.equal([first.id, second.id, third.id].filter((id) => !selectedIds.includes(id)));
    expect(left[0]!.status).to.equal('pending');
  });
});
