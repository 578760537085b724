import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { AUTHOR_NAME_MAX_LENGTH, COMMENT_BODY_MAX_LENGTH } from '@parley/schema/limits';
import '../../embed.ts';
import type { ParleyComments } from './comments.ts';
import { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import { ParleyCommentsLoadedEvent } from '../../events/comments-loaded.ts';
import { deadServer, postComment, server, shadow, uniquePage, watchFetch } from '../../test/support.ts';

async function mount(page: string, attrs: { server?: string; heading?: string } = {}): Promise<ParleyComments> {
  return fixture<ParleyComments>(
    html`<parley-comments page=${page} server=${attrs.server ?? server} heading=${attrs.heading ?? ''} loading="eager"></parley-comments>`,
  );
}

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => shadow(el).querySelector<T>(selector);
const $$ = (el: Element, selector: string) => [...shadow(el).querySelectorAll<HTMLElement>(selector)];
const loaded = (el: ParleyComments) => waitUntil(() => !$(el, '.loading'), 'thread did not load', { timeout: 5000 });

async function fillAndSubmit(el: ParleyComments, form: HTMLFormElement, body: string, name = ''): Promise<void> {
  form.querySelector<HTMLInputElement>('input[name="name"]')!.value = name;
  form.querySelector<HTMLTextAreaElement>('textarea')!.value = body;
  form.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
}

describe('<parley-comments>', () => {
  describe('accessibility', () => {
    it('passes axe when empty', async () => {
      const el = await mount(uniquePage('a11y-empty'));
      await loaded(el);
      await expect(el).to.be.accessible();
    });

    it('passes axe with a thread and an open reply form', async () => {
      const page = uniquePage('a11y-thread');
      const parent = await postComment({ page, body: 'First!', name: 'Ada' });
      await postComment({ page, body: 'Reply', parentId: parent.id });
      const el = await mount(page);
      await loaded(el);
      $<HTMLButtonElement>(el, `#comment-${parent.id} [part~="reply-button"]`)!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });

    it('labels the section by its heading and gives every field a label', async () => {
      const el = await mount(uniquePage('labels'));
      const section = $(el, 'section')!;
      expect($(el, `#${section.getAttribute('aria-labelledby')}`)!.textContent).to.equal('Leave a Comment');
      for (const field of $$(el, 'input, textarea')) expect($(el, `label[for="${field.id}"]`)).to.exist;
      const textarea = $<HTMLTextAreaElement>(el, 'textarea')!;
      expect(textarea.required).to.be.true;
      expect(textarea.maxLength).to.equal(COMMENT_BODY_MAX_LENGTH);
      expect($<HTMLInputElement>(el, 'input[name="name"]')!.maxLength).to.equal(AUTHOR_NAME_MAX_LENGTH);
      expect($<HTMLInputElement>(el, 'input[name="name"]')!.required).to.be.false;
      expect($(el, '[role="status"]')).to.exist;
    });
  });

  describe('states', () => {
    it('shows loading (aria-busy) and then the empty state', async () => {
      const el = await mount(uniquePage('empty'));
      expect($(el, 'section')!.getAttribute('aria-busy')).to.equal('true');
      expect($(el, '.loading')!.textContent).to.equal('Loading…');
      await loaded(el);
      expect($(el, 'section')!.getAttribute('aria-busy')).to.equal('false');
      expect($(el, '.empty')!.textContent).to.equal('No comments yet. Be the first!');
    });

    it('renders a thread: top level in an <ol>, replies nested inside their parent <li>', async () => {
      const page = uniquePage('thread');
      const first = await postComment({ page, body: 'Top one', name: 'Ada' });
      const reply = await postComment({ page, body: 'A reply', parentId: first.id });
      await postComment({ page, body: 'Top two', name: 'Grace' });
      const el = await mount(page);
      await loaded(el);
      expect($$(el, 'section > .thread > ol > li')).to.have.length(2);
      const nested = $(el, `ol > li > ol.replies > li > #comment-${reply.id}`)!;
      expect(nested).to.exist;
      expect(nested.closest('li')!.parentElement!.closest('li')!.querySelector('article')!.id).to.equal(`comment-${first.id}`);
      expect($(el, `#comment-${reply.id} [part~="author"]`)!.textContent).to.equal('Anonymous');
      expect($(el, `#comment-${first.id} [part~="author"]`)!.textContent).to.equal('Ada');
      const time = $(el, `#comment-${first.id} time`)!;
      expect(time.getAttribute('datetime')).to.equal(first.createdAt);
      expect(time.title).to.match(/\d{4}/);
      expect(time.textContent).to.match(/now|second|minute/);
      expect($(el, '.count')!.textContent).to.equal('3 comments');
    });

    it('shows an error with Retry when the server is down', async () => {
      const el = await mount(uniquePage('down'), { server: deadServer });
      await waitUntil(() => $(el, '[part~="error"]'), 'no error state', { timeout: 5000 });
      expect($(el, '[part~="error"] .error')!.textContent).to.equal('Comments could not be loaded.');
      const watch = watchFetch('/api/comments');
      try {
        const retry = $<HTMLButtonElement>(el, '[part~="error"] button')!;
        expect(retry.textContent!.trim()).to.equal('Retry');
        retry.click();
        await waitUntil(() => watch.calls.length === 1);
        await waitUntil(() => $(el, '[part~="error"]'), 'error again after retry', { timeout: 5000 });
      } finally {
        watch.restore();
      }
      el.server = server;
      await waitUntil(() => $(el, '.empty'), 'loads once the server attribute points at a live server', { timeout: 5000 });
    });
  });

  describe('attributes', () => {
    it('uses the heading attribute', async () => {
      const el = await mount(uniquePage('heading'), { heading: 'Discussion' });
      expect($(el, 'h2')!.textContent).to.equal('Discussion');
    });

    it('refetches when page changes and on reload()', async () => {
      const other = uniquePage('other');
      await postComment({ page: other, body: 'On the other page' });
      const el = await mount(uniquePage('switch'));
      await loaded(el);
      el.setAttribute('page', other);
      await waitUntil(() => $(el, '[part~="body"]')?.textContent === 'On the other page', 'did not refetch', { timeout: 5000 });
      await postComment({ page: other, body: 'Posted elsewhere' });
      await el.reload();
      await waitUntil(() => $$(el, '[part~="body"]').length === 2, 'reload() did not refetch', { timeout: 5000 });
    });

    it('takes the page from <link rel="canonical"> when it has no page attribute', async () => {
      const path = uniquePage('canonical');
      await postComment({ page: path, body: 'Found via canonical' });
      const link = Object.assign(document.createElement('link'), { rel: 'canonical', href: `https://news.example${path}?utm_source=x#c` });
      document.head.append(link);
      try {
        const el = await fixture<ParleyComments>(html`<parley-comments server=${server} loading="eager"></parley-comments>`);
        await waitUntil(() => $(el, '[part~="body"]')?.textContent === 'Found via canonical', 'canonical page not used', { timeout: 5000 });
      } finally {
        link.remove();
      }
    });

    it('loads lazily: not before it nears the viewport', async () => {
      const watch = watchFetch('/api/comments');
      try {
        const page = uniquePage('lazy');
        const wrapper = await fixture<HTMLDivElement>(
          html`<div><div style="height: 4000px"></div><parley-comments page=${page} server=${server}></parley-comments></div>`,
        );
        const el = wrapper.querySelector('parley-comments')!;
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(watch.calls.filter((call) => call.url.includes(encodeURIComponent(page)))).to.have.length(0);
        expect($(el, '.loading')).to.exist;
        el.scrollIntoView();
        await waitUntil(() => $(el, '.empty'), 'did not load when scrolled into view', { timeout: 5000 });
        expect(watch.calls.filter((call) => call.url.includes(encodeURIComponent(page)))).to.have.length(1);
      } finally {
        watch.restore();
        window.scrollTo(0, 0);
      }
    });

    it('follows the page colour scheme by default and pins it with theme', async () => {
      const el = await mount(uniquePage('theme'));
      const textColour = () => getComputedStyle($(el, 'h2')!).color;
      expect(textColour()).to.equal('rgb(28, 30, 33)');
      document.documentElement.style.colorScheme = 'dark';
      try {
        expect(textColour()).to.equal('rgb(232, 234, 237)');
        el.theme = 'light';
        await el.updateComplete;
        expect(el.getAttribute('theme')).to.equal('light');
        expect(textColour()).to.equal('rgb(28, 30, 33)');
      } finally {
        document.documentElement.style.colorScheme = '';
      }
      el.theme = 'dark';
      await el.updateComplete;
      expect(getComputedStyle(el).colorScheme).to.equal('dark');
      expect(textColour()).to.equal('rgb(232, 234, 237)');
    });

    it('lets the site theme it with --parley-* custom properties on any ancestor', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div style="--parley-color-text: rgb(1, 2, 3)"><parley-comments page=${uniquePage('custom')} server=${server}></parley-comments></div>`,
      );
      const el = wrapper.firstElementChild!;
      expect(getComputedStyle($(el, 'h2')!).color).to.equal('rgb(1, 2, 3)');
    });
  });

  describe('posting', () => {
    it('posts from the form: shows the comment, fires the event, moves focus, announces', async () => {
      const page = uniquePage('post');
      const el = await mount(page);
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form[part~="form"]')!;
      const posted = oneEvent(el, 'parley-comment-posted');
      await fillAndSubmit(el, form, 'Hello\nworld', 'Maya');
      const event = (await posted) as unknown as ParleyCommentPostedEvent;
      expect(event).to.be.instanceOf(ParleyCommentPostedEvent);
      expect(event.bubbles && event.composed).to.be.true;
      expect(event.comment.body).to.equal('Hello\nworld');
      expect(event.comment.author.name).to.equal('Maya');
      expect(event.comment.page).to.equal(page);

      const article = $(el, `#comment-${event.comment.id}`)!;
      expect(article.querySelector('[part~="body"]')!.textContent).to.equal('Hello\nworld');
      expect(getComputedStyle(article.querySelector('[part~="body"]')!).whiteSpace).to.equal('pre-wrap');
      expect(article.querySelector('[part~="author"]')!.textContent).to.equal('Maya');
      expect(shadow(el).activeElement).to.equal(article);
      expect(form.querySelector('textarea')!.value).to.equal('');
      await waitUntil(() => $(el, '[role="status"]')!.textContent === 'Comment posted', 'not announced');
      expect($(el, '.count')!.textContent).to.equal('1 comment');

      // It is stored: a fresh element shows it too.
      const again = await mount(page);
      await waitUntil(() => $(again, `#comment-${event.comment.id}`), 'not persisted', { timeout: 5000 });
    });

    it('replies under a comment with the reply form; Cancel closes it', async () => {
      const page = uniquePage('reply');
      const parent = await postComment({ page, body: 'Parent' });
      const el = await mount(page);
      await loaded(el);
      const replyButton = $<HTMLButtonElement>(el, `#comment-${parent.id} [part~="reply-button"]`)!;
      replyButton.click();
      await el.updateComplete;
      expect(replyButton.getAttribute('aria-expanded')).to.equal('true');
      let replyForm = $<HTMLFormElement>(el, '.reply-form')!;
      expect(replyForm.closest('li')!.querySelector('article')!.id).to.equal(`comment-${parent.id}`);
      await waitUntil(() => shadow(el).activeElement === replyForm.querySelector('textarea'), 'reply textarea not focused');
      [...replyForm.querySelectorAll('button')].find((button) => button.textContent!.trim() === 'Cancel')!.click();
      await el.updateComplete;
      expect($(el, '.reply-form')).to.be.null;

      replyButton.click();
      await el.updateComplete;
      replyForm = $<HTMLFormElement>(el, '.reply-form')!;
      const posted = oneEvent(el, 'parley-comment-posted');
      await fillAndSubmit(el, replyForm, 'A reply', 'Lin');
      const { comment } = (await posted) as unknown as ParleyCommentPostedEvent;
      expect(comment.parentId).to.equal(parent.id);
      const nested = $(el, `ol > li > ol.replies > li > #comment-${comment.id}`)!;
      expect(nested).to.exist;
      expect(shadow(el).activeElement).to.equal(nested);
      expect($(el, '.reply-form')).to.be.null;
      expect($(el, '.count')!.textContent).to.equal('2 comments');
    });

    it("shows the server's validation error for a blank body next to the field and announces it", async () => {
      const el = await mount(uniquePage('blank'));
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      form.querySelector('textarea')!.value = '    ';
      form.requestSubmit();
      await waitUntil(() => $(el, '[part~="form-error"]'), 'no error shown', { timeout: 5000 });
      const textarea = form.querySelector('textarea')!;
      expect(textarea.getAttribute('aria-invalid')).to.equal('true');
      const fieldError = $(el, `#${textarea.getAttribute('aria-describedby')}`)!;
      expect(fieldError.textContent).to.match(/empty/i);
      expect($(el, '[part~="form-error"]')!.textContent).to.match(/^Your comment was not posted: /);
      await waitUntil(() => $(el, '[role="status"]')!.textContent!.startsWith('Your comment was not posted'));
      expect(shadow(el).activeElement).to.equal(textarea);
      expect($(el, '.empty')).to.exist;
    });

    it('maps an over-long name to the name field', async () => {
      const el = await mount(uniquePage('long-name'));
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      // maxlength only limits typing; a scripted value gets past it to the server.
      form.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'n'.repeat(AUTHOR_NAME_MAX_LENGTH + 5);
      form.querySelector('textarea')!.value = 'Fine body';
      form.requestSubmit();
      await waitUntil(() => $(el, '[part~="form-error"]'), 'no error shown', { timeout: 5000 });
      const input = form.querySelector<HTMLInputElement>('input[name="name"]')!;
      expect(input.getAttribute('aria-invalid')).to.equal('true');
      expect($(el, `#${input.getAttribute('aria-describedby')}`)).to.exist;
      expect(form.querySelector('textarea')!.getAttribute('aria-invalid')).to.equal('false');
    });

    it('relies on native constraints: an empty textarea does not reach the server', async () => {
      const el = await mount(uniquePage('native'));
      await loaded(el);
      const watch = watchFetch('/api/comments');
      try {
        $<HTMLButtonElement>(el, '[part~="submit"]')!.click();
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(watch.calls.filter((call) => call.body !== undefined)).to.have.length(0);
      } finally {
        watch.restore();
      }
    });
  });

  describe('events', () => {
    it('fires parley-comments-loaded with the thread', async () => {
      const page = uniquePage('loaded-event');
      await postComment({ page, body: 'x' });
      const el = document.createElement('parley-comments');
      Object.assign(el, { page, server, loading: 'eager' });
      const loadedEvent = oneEvent(el, 'parley-comments-loaded');
      await fixture(html`<div></div>`).then((div) => div.append(el));
      const event = (await loadedEvent) as unknown as ParleyCommentsLoadedEvent;
      expect(event).to.be.instanceOf(ParleyCommentsLoadedEvent);
      expect(event.thread.page).to.equal(page);
      expect(event.thread.total).to.equal(1);
      expect(event.composed).to.be.true;
    });
  });

  describe('parts', () => {
    it('exposes the documented parts', async () => {
      const page = uniquePage('parts');
      await postComment({ page, body: 'Parts' });
      const el = await mount(page);
      await loaded(el);
      for (const part of ['heading', 'comment', 'author', 'time', 'body', 'reply-button', 'form', 'textarea', 'submit']) {
        expect($(el, `[part~="${part}"]`), part).to.exist;
      }
    });
  });

  describe('security', () => {
    it('shows markup in comments as literal text and creates no elements', async () => {
      const page = uniquePage('xss');
      const body = '<img src=x onerror="window.__parleyPwned=1"><script>window.__parleyPwned=1</script><b>bold</b>';
      await postComment({ page, body, name: '<img src=y onerror="window.__parleyPwned=2">' });
      const el = await mount(page);
      await loaded(el);
      const comment = $(el, '[part~="comment"]')!;
      expect(comment.querySelector('[part~="body"]')!.textContent).to.equal(body);
      expect(comment.querySelector('[part~="author"]')!.textContent).to.equal('<img src=y onerror="window.__parleyPwned=2">');
      expect(comment.querySelectorAll('img, script, b')).to.have.length(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((window as unknown as { __parleyPwned?: number }).__parleyPwned).to.be.undefined;
    });
  });
});
