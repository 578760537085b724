import { expect, oneEvent, waitUntil } from '@open-wc/testing';
import { COMMENT_BODY_MAX_LENGTH } from '@parley/schema/limits';
import type { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import type { ParleyComments } from './comments.ts';
import { configured, deadServer, shadow, uniquePage, watchFetch } from '../../test/support.ts';
import { $, loaded, mount, text, wakeWriter } from './comments-fixtures.ts';

/** The configured server's site without fill time or limits: posting takes no wait. */
const bulk = { server: configured, site: 'bulk' };

beforeEach(() => {
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley:')) localStorage.removeItem(key);
});

/** Types into a field the way the browser reports typing (value, then an `input` event). */
function type(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

async function postFromForm(el: ParleyComments, form: HTMLFormElement, body: string): Promise<ParleyCommentPostedEvent> {
  type(form.querySelector('textarea')!, body);
  const posted = oneEvent(el, 'parley-comment-posted');
  form.requestSubmit();
  return (await posted) as unknown as ParleyCommentPostedEvent;
}

describe('<parley-comments> writing', () => {
  describe('reply notifications', () => {
    it('offers "Email me when someone replies" once an email is given, and sends notify with it', async () => {
      const el = await mount({ ...bulk, page: uniquePage('notify') });
      await loaded(el);
      const form = await wakeWriter(el);
      expect($(el, '[part~="notify"]'), 'no checkbox without an email').to.be.null;
      type(form.querySelector<HTMLInputElement>('input[name="email"]')!, 'ada@example.com');
      await waitUntil(() => $(el, '[part~="notify"]'), 'no checkbox after an email was typed');
      const checkbox = $<HTMLInputElement>(el, '[part~="notify"] input[type="checkbox"]')!;
      expect(text($(el, '[part~="notify"]'))).to.equal('Email me when someone replies');
      expect(checkbox.checked, 'opt-in, not opt-out').to.be.false;
      checkbox.checked = true;
      const watch = watchFetch('/api/comments');
      try {
        await postFromForm(el, form, 'Tell me about replies');
        const sent = watch.calls.find((call) => call.body !== undefined)!;
        expect((sent.body as { notify?: boolean }).notify).to.equal(true);
        expect((sent.body as { author?: { email?: string } }).author?.email).to.equal('ada@example.com');
      } finally {
        watch.restore();
      }
      // Clearing the email takes the checkbox away again.
      type(form.querySelector<HTMLInputElement>('input[name="email"]')!, '');
      await waitUntil(() => !$(el, '[part~="notify"]'), 'checkbox stayed without an email');
    });
  });

  describe('delete asks first', () => {
    it('deletes only after the reader confirms; Cancel keeps the comment', async () => {
      const el = await mount({ ...bulk, page: uniquePage('confirm-delete') });
      await loaded(el);
      const { comment } = await postFromForm(el, await wakeWriter(el), 'Maybe delete me');
      const watch = watchFetch(`/api/comments/${comment.id}`);
      try {
        const remove = $<HTMLButtonElement>(el, `#comment-${comment.id} [part~="delete-button"]`)!;
        remove.click();
        await waitUntil(() => shadow(el).activeElement?.matches('[part~="confirm-delete-button"]'), 'focus not on the confirmation');
        expect(text($(el, `#comment-${comment.id} [part~="confirm-delete"] p`))).to.equal('Delete this comment? This cannot be undone.');
        expect(remove.getAttribute('aria-expanded')).to.equal('true');
        expect(watch.calls, 'nothing sent before the answer').to.have.length(0);
        [...$(el, `#comment-${comment.id} [part~="confirm-delete"]`)!.querySelectorAll('button')].find((b) => text(b) === 'Cancel')!.click();
        await waitUntil(() => !$(el, `#comment-${comment.id} [part~="confirm-delete"]`), 'confirmation stayed after Cancel');
        expect(watch.calls).to.have.length(0);
        expect($(el, `#comment-${comment.id} [part~="body"]`)).to.exist;

        remove.click();
        await waitUntil(() => $(el, `#comment-${comment.id} [part~="confirm-delete-button"]`));
        $<HTMLButtonElement>(el, `#comment-${comment.id} [part~="confirm-delete-button"]`)!.click();
        await waitUntil(() => !$(el, `#comment-${comment.id}`), 'not deleted after confirming', { timeout: 5000 });
        expect(watch.calls).to.have.length(1);
      } finally {
        watch.restore();
      }
    });
  });

  describe('length limit', () => {
    it('counts near the limit, never cuts a long paste, and says why an over-long comment is not sent', async () => {
      const el = await mount({ ...bulk, page: uniquePage('counter') });
      await loaded(el);
      const form = await wakeWriter(el);
      const textarea = form.querySelector('textarea')!;
      type(textarea, 'x'.repeat(COMMENT_BODY_MAX_LENGTH * 0.8));
      await el.updateComplete;
      expect($(el, '[part~="counter"]'), 'no counter far from the limit').to.be.null;
      type(textarea, 'x'.repeat(9_500));
      await waitUntil(() => $(el, '[part~="counter"]'), 'no counter near the limit');
      expect(text($(el, '[part~="counter"]'))).to.equal('9,500 / 10,000');
      expect(textarea.getAttribute('aria-invalid')).to.equal('false');

      // Pasted as the browser edits (a maxlength would cut this one, unlike a scripted value).
      const paste = 'y'.repeat(12_000);
      textarea.focus();
      textarea.select();
      document.execCommand('insertText', false, paste);
      await waitUntil(() => text($(el, '[part~="counter"]')) === '12,000 / 10,000');
      expect(textarea.value, 'the paste is whole').to.equal(paste);
      expect(textarea.getAttribute('aria-invalid')).to.equal('true');
      expect(textarea.getAttribute('aria-describedby')).to.contain($(el, '[part~="counter"]')!.id);
      const watch = watchFetch('/api/comments');
      try {
        form.requestSubmit();
        await waitUntil(() => $(el, '#body-root-error'), 'no reason given');
        expect(text($(el, '#body-root-error'))).to.equal('Too long by 2,000 characters: shorten it to post.');
        expect(shadow(el).activeElement).to.equal(textarea);
        expect(watch.calls.filter((call) => call.body !== undefined), 'nothing sent').to.have.length(0);
      } finally {
        watch.restore();
      }
      type(textarea, 'y'.repeat(10_000));
      await waitUntil(() => !$(el, '#body-root-error'), 'the reason stayed after the text was shortened');
    });
  });

  describe('error messages', () => {
    it('says each reason once, next to its field, and clears it once the input is fixed', async () => {
      const el = await mount({ ...bulk, page: uniquePage('errors-once') });
      await loaded(el);
      const form = await wakeWriter(el);
      const textarea = form.querySelector('textarea')!;
      type(textarea, '   ');
      form.requestSubmit();
      await waitUntil(() => $(el, '#body-root-error'), 'no field error', { timeout: 5000 });
      const all = text(form);
      expect(all.match(/must not be empty/g), all).to.have.length(1);
      expect(text($(el, '[part~="form-error"]'))).to.equal('Your comment was not posted: see the marked field.');
      expect(textarea.getAttribute('aria-invalid')).to.equal('true');

      type(textarea, 'Now with words');
      await waitUntil(() => !$(el, '#body-root-error'), 'field error stayed after the input was fixed');
      expect($(el, '[part~="form-error"]'), 'summary stayed').to.be.null;
      expect(textarea.getAttribute('aria-invalid')).to.equal('false');
    });
  });

  describe('idempotency', () => {
    it('sends an Idempotency-Key per submission and the same one when the same submission is retried', async function () {
      this.timeout(20_000);
      const page = uniquePage('idempotency');
      const el = await mount({ ...bulk, page });
      await loaded(el);
      const form = await wakeWriter(el);
      const watch = watchFetch('/api/comments');
      const keys = () => watch.calls.filter((call) => call.body !== undefined).map((call) => call.headers.get('idempotency-key'));
      try {
        // The connection drops: the same comment is sent again, with the same key.
        el.server = deadServer;
        type(form.querySelector('textarea')!, 'Sent twice, stored once');
        form.requestSubmit();
        await waitUntil(() => $(el, '[part~="form-error"]'), 'no network error shown', { timeout: 10_000 });
        el.server = configured;
        const { comment } = await postFromForm(el, form, 'Sent twice, stored once');
        const [first, retry] = keys();
        expect(first).to.match(/^[0-9a-f]{32}$/);
        expect(retry).to.equal(first);
        // A new submission gets a new key.
        await postFromForm(el, form, 'Another comment');
        expect(keys()[2]).to.match(/^[0-9a-f]{32}$/).and.not.equal(first);
        expect(comment.page).to.equal(page);
      } finally {
        watch.restore();
      }
    });
  });
});
