import { expect } from '@open-wc/testing';
import type { CommentNode, CommentThread, PrivacyResult } from '@parley/schema';
import { deep, deepAll, logIn, logOut, nothingRan, OPEN_SITE, openConsole, postComment, uniquePage, until } from '../test/support.ts';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';

/** The page's comments as a reader sees them: the public API, no credentials. */
async function publicComments(page: string): Promise<CommentNode[]> {
  const response = await fetch(`/api/comments?${new URLSearchParams({ site: OPEN_SITE, page })}`, { credentials: 'omit' });
  if (!response.ok) throw new Error(`GET /api/comments: ${response.status} ${await response.text()}`);
  const flat: CommentNode[] = [];
  const walk = (nodes: CommentNode[]) => {
    for (const node of nodes) {
      flat.push(node);
      walk(node.replies);
    }
  };
  walk(((await response.json()) as CommentThread).comments);
  return flat;
}

async function openPrivacy() {
  const el = await openConsole('privacy', { site: OPEN_SITE });
  const view = await until(() => deep(el, 'parley-console-privacy'), 5_000, 'the privacy view');
  return { el, view };
}

function typeEmail(view: HTMLElement, email: string) {
  const input = deep<HTMLInputElement>(view, '#privacy-email')!;
  input.value = email;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

const button = (view: HTMLElement, action: string) =>
  until(() => {
    const found = deep<HTMLButtonElement>(view, `[data-action="${action}"]`);
    return found && !found.disabled ? found : undefined;
  }, 5_000, `the ${action} button`);

describe('<parley-console-privacy>', () => {
  before(() => logIn());
  after(() => logOut());

  it('is in the nav and labels its email field', async () => {
    const { el, view } = await openPrivacy();
    expect(deep(el, 'main > h1')!.textContent).to.equal('Privacy');
    expect(deep(el, 'nav a[aria-current="page"]')!.textContent).to.equal('Privacy');
    const input = deep<HTMLInputElement>(view, '#privacy-email')!;
    expect(input.type).to.equal('email');
    expect(deep(view, 'label[for="privacy-email"]')!.textContent).to.equal("Reader's email");
    await expect(el).to.be.accessible();
  });

  it('exports a reader\'s comments as a JSON download and a text-only table, then deletes them after confirmation', async () => {
    const page = uniquePage('privacy');
    const email = `reader-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@parley.test`;
    const body = `${HOSTILE} <script>window.__pwned=2</script> **bold** & more`;
    const first = await postComment({ site: OPEN_SITE, page, name: `<b>Eve</b>${HOSTILE}`, email, body });
    const second = await postComment({ site: OPEN_SITE, page, name: 'Eve', email: email.toUpperCase(), body: 'second thoughts' });
    // Another reader answers the first: it stays as a placeholder so the reply keeps its place.
    const reply = await postComment({ site: OPEN_SITE, page, name: 'Other', email: 'other@parley.test', body: 'a reply', parentId: first.id });
    const bystander = await postComment({ site: OPEN_SITE, page, name: 'Bystander', email: 'bystander@parley.test', body: 'I stay' });

    const { el, view } = await openPrivacy();
    typeEmail(view, email);
    (await button(view, 'export')).click();
    const rows = await until(() => {
      const found = deepAll(view, 'section.export tbody tr');
      return found.length ? found : undefined;
    }, 5_000, 'the export table');
    expect(rows.map((row) => row.dataset.id).sort()).to.deep.equal([first.id, second.id].sort());
    const firstRow = rows.find((row) => row.dataset.id === first.id)!;
    expect(firstRow.querySelector('.body')!.textContent).to.equal(body);
    expect(firstRow.querySelector('.name')!.textContent).to.equal(`<b>Eve</b>${HOSTILE}`);
    expect(firstRow.querySelector('.page')!.textContent).to.equal(page);
    expect(deepAll(view, 'section.export img, section.export script, section.export strong, section.export b')).to.have.length(0);
    expect(deep(view, 'section.export p')!.textContent).to.contain('2 comments');

    // The download is the server's export, as a JSON file.
    const link = deep<HTMLAnchorElement>(view, 'section.export a[download]')!;
    expect(link.href).to.match(/^blob:/);
    expect(link.getAttribute('download')).to.match(/^parley-default-reader-.*\.json$/);
    const file = (await (await fetch(link.href)).json()) as Extract<PrivacyResult, { kind: 'export' }>;
    expect(file.kind).to.equal('export');
    expect(file.email).to.equal(email);
    expect(file.comments.map((comment) => comment.id).sort()).to.deep.equal([first.id, second.id].sort());
    expect(file.comments.find((comment) => comment.id === first.id)!.body).to.equal(body);
    await nothingRan(el);
    await expect(el).to.be.accessible();

    // Delete asks first; Cancel deletes nothing.
    (await button(view, 'delete')).click();
    const confirm = await button(view, 'confirm-delete');
    expect(confirm.textContent!.trim()).to.equal('Yes, delete 2 comments');
    await expect(el).to.be.accessible();
    expect((await publicComments(page)).map((comment) => comment.id)).to.include.members([first.id, second.id]);
    (await button(view, 'cancel-delete')).click();
    await until(() => !deep(view, '[data-action="confirm-delete"]'), 5_000, 'the confirmation to close');
    expect((await publicComments(page)).map((comment) => comment.id)).to.include.members([first.id, second.id]);

    (await button(view, 'delete')).click();
    (await button(view, 'confirm-delete')).click();
    const result = await until(() => deep(view, '#delete-title')?.parentElement, 5_000, 'the delete result');
    expect(result.querySelector('p')!.textContent).to.equal(
      `Removed 1 comment; anonymised 1 comment kept as placeholders because they have replies by ${email} on default.`,
    );
    await expect(el).to.be.accessible();

    // Readers see the second comment gone, the first as an empty placeholder, the others untouched.
    const after = await publicComments(page);
    const ids = after.map((comment) => comment.id);
    expect(ids).not.to.include(second.id);
    expect(ids).to.include.members([reply.id, bystander.id]);
    const placeholder = after.find((comment) => comment.id === first.id)!;
    expect(placeholder.status).to.equal('deleted');
    expect(placeholder.html).not.to.contain('bold');
    expect(JSON.stringify(placeholder)).not.to.contain('Eve');

    // Nothing is left to export.
    (await button(view, 'export')).click();
    await until(() => deep(view, 'section.export p')?.textContent?.includes('0 comments'), 5_000, 'an empty export');
    expect(deepAll(view, 'section.export tbody tr')).to.have.length(0);
  });

  it('a bad address is refused by the field, and nobody\'s comments are deleted unasked', async () => {
    const { view } = await openPrivacy();
    typeEmail(view, 'not-an-email');
    (await button(view, 'delete')).click();
    // The confirmation would render in the update that follows the click (it comes before any request).
    await (view as HTMLElement & { updateComplete: Promise<boolean> }).updateComplete;
    expect(deep(view, '[data-action="confirm-delete"]')).to.equal(null);
    expect(deep<HTMLInputElement>(view, '#privacy-email')!.validity.valid).to.equal(false);
  });
});
