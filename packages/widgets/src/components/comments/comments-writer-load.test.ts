/**
 * The writing tools are a chunk of their own, loaded on the reader's first interaction: when that
 * import fails (a network blip, a blocker, a deploy that replaced the chunk), the reader is told
 * and can try again, and a server-rendered form still posts without them. The test server's
 * middleware (web-test-runner.config.mjs) takes the module off the network. A page loads the
 * module once: the tests of this file run in order, the failing ones before any load succeeds.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { CommentThread } from '@parley/schema';
import type { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import type { ParleyComments } from './comments.ts';
import { configured, uniquePage } from '../../test/support.ts';
import { $, loaded, mount, text } from './comments-fixtures.ts';

const MESSAGE = 'The editor could not be loaded.';

/** Takes the writing tools' module off the network (`down`) or brings it back. */
async function writerNetwork(down: boolean): Promise<void> {
  const response = await fetch(`/__parley/writer-network?down=${down ? 1 : 0}`, { method: 'POST' });
  if (!response.ok) throw new Error(`writer-network: ${response.status}`);
}

const bodies = async (page: string) => {
  const thread = (await (await fetch(`${configured}/api/comments?site=bulk&page=${encodeURIComponent(page)}`)).json()) as CommentThread;
  return thread.comments.map((node) => text(Object.assign(document.createElement('div'), { innerHTML: node.html })));
};

describe('<parley-comments> when the writing tools cannot be loaded', () => {
  after(() => writerNetwork(false));

  it('says so, and the server-rendered form still posts without them', async () => {
    await writerNetwork(true);
    const page = uniquePage('ssr-no-tools');
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    // The server's form as GET /render/comments draws it (no token: the bulk site wants no fill time),
    // posting into a frame rather than away from the test page.
    wrapper.innerHTML = `<iframe name="parley-sink" hidden></iframe>
      <parley-comments site="bulk" page="${page}" server="${configured}" no-live><section><form method="post" action="${configured}/render/comments" target="parley-sink">
        <input type="hidden" name="site" value="bulk"><input type="hidden" name="page" value="${page}">
        <div class="trap"><input name="website"></div><textarea name="body" required></textarea><input name="name">
        <button type="submit">Post comment</button></form></section></parley-comments>`;
    const el = wrapper.querySelector<ParleyComments>('parley-comments')!;
    const form = el.querySelector('form')!;
    await el.updateComplete;
    const textarea = form.querySelector('textarea')!;
    textarea.focus();
    await waitUntil(() => $(el, '[part~="error"]'), 'the reader was not told', { timeout: 5000 });
    expect(text($(el, '[part~="error"]'))).to.equal(`${MESSAGE} Retry`);
    expect(text($(el, '[role="status"]')), 'said in the live region').to.equal(MESSAGE);
    textarea.value = 'Posted without the tools';
    const sink = wrapper.querySelector('iframe')!;
    const answered = new Promise((resolve) => sink.addEventListener('load', resolve, { once: true }));
    form.requestSubmit();
    await answered;
    expect(await bodies(page)).to.deep.equal(['Posted without the tools']);
  });

  it('says so, and Retry loads them once the network is back; then the comment posts', async () => {
    await writerNetwork(true);
    const page = uniquePage('retry-tools');
    const el = await mount({ site: 'bulk', page, server: configured });
    await loaded(el);
    $(el, 'form')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    await waitUntil(() => $(el, '[part~="error"]'), 'the reader was not told', { timeout: 5000 });
    expect(text($(el, '[part~="error"]'))).to.equal(`${MESSAGE} Retry`);
    expect(text($(el, '[role="status"]')), 'said in the live region').to.equal(MESSAGE);
    expect($(el, 'form .trap'), 'no tools yet').to.be.null;

    await writerNetwork(false);
    $<HTMLButtonElement>(el, '[part~="error"] button')!.click();
    await waitUntil(() => $(el, 'form .trap'), 'Retry did not load the writing tools', { timeout: 5000 });
    const asked = performance.getEntriesByType('resource').map((entry) => entry.name);
    expect(asked.some((url) => /\/comments\/writer\.ts\?\d+$/.test(url)), 'the retry asks for a URL whose failure nothing can have kept').to.be.true;
    expect($(el, '[part~="error"]'), 'the message is gone with the placeholder').to.be.null;
    const form = $<HTMLFormElement>(el, 'form')!;
    form.querySelector('textarea')!.value = 'Posted after the blip';
    const posted = oneEvent(el, 'parley-comment-posted');
    form.requestSubmit();
    const { comment } = (await posted) as unknown as ParleyCommentPostedEvent;
    await waitUntil(() => $(el, `#comment-${comment.id}`), 'the comment is not shown');
    expect(await bodies(page)).to.deep.equal(['Posted after the blip']);
  });
});
