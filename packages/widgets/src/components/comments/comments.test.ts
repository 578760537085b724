import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { FLAG_REASON_DETAIL_MAX_LENGTH, FLAG_REASONS, type CommentThread, type PostedComment } from '@parley/schema';
import { AUTHOR_EMAIL_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH, COMMENT_BODY_MAX_LENGTH } from '@parley/schema/limits';
import '../../embed.ts';
import type { ParleyComments } from './comments.ts';
import { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import { ParleyCommentEditedEvent } from '../../events/comment-edited.ts';
import { ParleyCommentDeletedEvent } from '../../events/comment-deleted.ts';
import { ParleyCommentsLoadedEvent } from '../../events/comments-loaded.ts';
import { deadServer, configured, configuredToken, server, shadow, uniquePage, uniqueSite, watchFetch } from '../../test/support.ts';
import { assertOnlyAllowlisted, handlersHadTheirChance } from './test-helpers.ts';
import { sendKeys } from '@web/test-runner-commands';
import { clock } from '../../controllers/clock.ts';

interface MountOptions {
  server?: string;
  site?: string;
  heading?: string;
  sort?: string;
  maxDepth?: number;
  live?: boolean;
  avatars?: string;
  noAvatars?: boolean;
  lang?: string;
  /** Leaves the writing tools unloaded (by default the test reaches for the form once, which loads them). */
  reading?: boolean;
}

/** Mounts an eager element; live updates are off unless a test asks for them. */
async function mount(page: string, options: MountOptions = {}): Promise<ParleyComments> {
  const el = document.createElement('parley-comments');
  Object.assign(el, {
    page,
    server: options.server ?? server,
    site: options.site ?? site,
    heading: options.heading ?? '',
    loading: 'eager',
    sort: options.sort ?? 'oldest',
    maxDepth: options.maxDepth ?? 4,
    noLive: !options.live,
    avatars: options.avatars ?? '',
    noAvatars: !!options.noAvatars,
  });
  if (options.lang) el.lang = options.lang;
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  wrapper.append(el);
  await el.updateComplete;
  if (!options.reading) await wakeWriter(el);
  return el;
}

/** Reaches for the top form as a reader would (a pointer press), and waits for the writing tools to take it over. */
async function wakeWriter(el: ParleyComments): Promise<void> {
  shadow(el).querySelector('form')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
  await waitUntil(() => shadow(el).querySelector('form .trap'), 'the writing tools did not load', { timeout: 5000 });
}

/** A comment posted through the real API, the way another reader would. */
async function post(input: {
  page: string;
  body: string;
  site?: string;
  parentId?: string;
  name?: string;
  email?: string;
  server?: string;
}): Promise<PostedComment> {
  const { name, email, server: base = server, ...rest } = input;
  const author = name || email ? { author: { ...(name ? { name } : {}), ...(email ? { email } : {}) } } : {};
  const response = await fetch(`${base}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // As a form open for a minute would send it (sites refuse comments faster than their fill time).
    body: JSON.stringify({ site, ...rest, ...author, honeypot: '', fillMs: 60_000 }),
  });
  if (response.status !== 201) throw new Error(`POST /api/comments: ${response.status} ${await response.text()}`);
  return response.json() as Promise<PostedComment>;
}

async function api(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(`${server}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'Parley-Edit-Token': token },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => shadow(el).querySelector<T>(selector);
const $$ = (el: Element, selector: string) => [...shadow(el).querySelectorAll<HTMLElement>(selector)];
const loaded = (el: ParleyComments) => waitUntil(() => $(el, '.empty, .comments'), 'thread did not load', { timeout: 5000 });
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const buttonNamed = (root: ParentNode, name: string) =>
  [...root.querySelectorAll<HTMLButtonElement>('button')].find((button) => text(button) === name)!;

/** The honeypot takes no room and shows no pixel: clipped to nothing inside its form, unreachable by the pointer. */
function expectHiddenInPlace(form: HTMLFormElement, trap: HTMLElement, input: HTMLInputElement): void {
  const box = trap.getBoundingClientRect();
  const outer = form.getBoundingClientRect();
  expect(box.width * box.height, 'trap area').to.be.at.most(1);
  expect(box.left >= outer.left && box.right <= outer.right && box.top >= outer.top, 'trap inside its form').to.be.true;
  const field = input.getBoundingClientRect();
  const root = form.getRootNode() as ShadowRoot;
  // Wherever the input's box is, what shows there (if anything) is not the input.
  for (const [x, y] of [[field.left + 2, field.top + 2], [field.left + field.width / 2, field.top + field.height / 2]] as const) {
    expect(root.elementFromPoint(x, y), `at ${x},${y}`).to.not.equal(input);
  }
}

/** Answers the "Delete this comment?" question that Delete asks first. */
async function confirmDelete(el: ParleyComments, id: string): Promise<void> {
  await waitUntil(() => $(el, `#comment-${id} [part~="confirm-delete-button"]`), 'no delete confirmation');
  $<HTMLButtonElement>(el, `#comment-${id} [part~="confirm-delete-button"]`)!.click();
}

function fill(form: HTMLFormElement, body: string, name = '', email = ''): void {
  form.querySelector<HTMLInputElement>('input[name="name"]')!.value = name;
  form.querySelector<HTMLInputElement>('input[name="email"]')!.value = email;
  form.querySelector<HTMLTextAreaElement>('textarea')!.value = body;
}

async function postFromForm(el: ParleyComments, form: HTMLFormElement, body: string, name = '', email = ''): Promise<ParleyCommentPostedEvent> {
  fill(form, body, name, email);
  const posted = oneEvent(el, 'parley-comment-posted');
  form.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
  return (await posted) as unknown as ParleyCommentPostedEvent;
}

/** Observes (never fakes) the EventSources the page opens. */
function watchEventSources(): { sources: EventSource[]; restore: () => void } {
  const Original = window.EventSource;
  const sources: EventSource[] = [];
  window.EventSource = class extends Original {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      sources.push(this);
    }
  };
  return { sources, restore: () => (window.EventSource = Original) };
}

const openStream = async (sources: EventSource[], page: string) => {
  await waitUntil(() => sources.some((s) => s.url.includes(encodeURIComponent(page)) && s.readyState === EventSource.OPEN), 'stream not open', { timeout: 5000 });
};

/**
 * Each test writes to a site of its own on the (permissive) test server: its rate limits and
 * duplicate checks count per site, so tests cannot trip over each other's comments.
 */
let site = '';
/** The configured server's site without limits, for tests that post many comments. */
const bulk = { server: configured, site: 'bulk' };

beforeEach(() => {
  site = uniqueSite();
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley:')) localStorage.removeItem(key);
  history.replaceState(null, '', location.pathname + location.search);
});

describe('<parley-comments>', () => {
  describe('accessibility', () => {
    for (const theme of ['light', 'dark'] as const) {
      it(`passes axe in every state (${theme})`, async () => {
        const page = uniquePage(`a11y-${theme}`);
        const el = await mount(page, { live: true });
        el.theme = theme;
        // A pinned dark theme is for dark pages: the widget's background stays transparent.
        el.parentElement!.style.background = theme === 'dark' ? '#121417' : '#fff';
        await expect(el).to.be.accessible(); // loading
        await loaded(el);
        await expect(el).to.be.accessible(); // empty

        const form = $<HTMLFormElement>(el, 'form')!;
        form.querySelector('textarea')!.value = '   ';
        form.requestSubmit();
        await waitUntil(() => $(el, '[part~="form-error"]'), 'no error', { timeout: 5000 });
        await expect(el).to.be.accessible(); // validation errors

        const { comment } = await postFromForm(el, form, 'Hello **there**', 'Ada');
        await expect(el).to.be.accessible(); // posted (with edit/delete buttons)

        const parent = await post({ page, body: 'From someone else', name: 'Grace' });
        await waitUntil(() => $(el, '[part~="banner"]'), 'no live banner', { timeout: 5000 });
        await expect(el).to.be.accessible(); // live-update banner
        $<HTMLButtonElement>(el, '[part~="banner"]')!.click();
        await el.updateComplete;

        $<HTMLButtonElement>(el, `#comment-${parent.id} [part~="reply-button"]`)!.click();
        await el.updateComplete;
        await expect(el).to.be.accessible(); // replying

        buttonNamed($(el, '.sub-form')!, 'Preview').click();
        await waitUntil(() => $(el, '.sub-form [part~="preview"]'));
        await expect(el).to.be.accessible(); // preview
        expect(comment.id).to.be.a('string');
      });
    }

    it('labels the section by its heading and gives every field a label and constraints', async () => {
      const el = await mount(uniquePage('labels'));
      const section = $(el, 'section')!;
      expect($(el, `#${section.getAttribute('aria-labelledby')}`)!.textContent).to.equal('Leave a Comment');
      for (const field of $$(el, 'input:not([type=checkbox]), textarea')) expect($(el, `label[for="${field.id}"]`)).to.exist;
      const textarea = $<HTMLTextAreaElement>(el, 'textarea')!;
      expect(textarea.required).to.be.true;
      // No maxlength: it would cut a long paste silently; a counter near the limit says it instead.
      expect(textarea.maxLength).to.equal(-1);
      const name = $<HTMLInputElement>(el, 'input[name="name"]')!;
      expect(name.maxLength).to.equal(AUTHOR_NAME_MAX_LENGTH);
      expect(name.required).to.be.false;
      const email = $<HTMLInputElement>(el, 'input[name="email"]')!;
      expect(email.type).to.equal('email');
      expect(email.required).to.be.false;
      expect(email.maxLength).to.equal(AUTHOR_EMAIL_MAX_LENGTH);
      expect(text($(el, `#${email.getAttribute('aria-describedby')}`))).to.match(/never shown/i);
      expect($(el, '[role="status"]')).to.exist;
    });

    it('works by keyboard: Tab to Reply, Enter opens the form, type, Tab to submit, Enter posts', async () => {
      const page = uniquePage('keyboard');
      const parent = await post({ page, body: 'Parent', name: 'Ada' });
      const el = await mount(page);
      await loaded(el);
      const reply = $<HTMLButtonElement>(el, `#comment-${parent.id} [part~="reply-button"]`)!;
      // Start on the Like button just before Reply, then move with the real keyboard.
      $<HTMLButtonElement>(el, `#comment-${parent.id} [part~="like-button"]`)!.focus();
      await sendKeys({ press: 'Tab' });
      expect(shadow(el).activeElement).to.equal(reply);
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => shadow(el).activeElement?.id === `body-${parent.id}`, 'reply textarea not focused');
      await sendKeys({ type: 'Typed reply' });
      // Tab past the markdown hint to Post reply.
      await sendKeys({ press: 'Tab' });
      expect(text(shadow(el).activeElement)).to.equal('Post reply');
      const posted = oneEvent(el, 'parley-comment-posted');
      await sendKeys({ press: 'Enter' });
      const { comment } = (await posted) as unknown as ParleyCommentPostedEvent;
      expect(comment.body).to.equal('Typed reply');
      await waitUntil(() => shadow(el).activeElement?.id === `comment-${comment.id}`, 'focus not on the new reply');
      // The sort select, tabs and like buttons are native controls in the tab order; only the honeypot is out of it.
      for (const control of $$(el, 'button, input, select, textarea, a[href]')) {
        expect(control.tabIndex, control.outerHTML.slice(0, 60)).to.equal(control.closest('.trap') ? -1 : 0);
      }
    });
  });

  describe('states', () => {
    it('reserves space and shows loading (aria-busy), then the empty state', async () => {
      const el = await mount(uniquePage('empty'), { reading: true });
      expect($(el, 'section')!.getAttribute('aria-busy')).to.equal('true');
      expect($(el, '.loading')!.textContent).to.equal('Loading…');
      const loadingHeight = $(el, '.thread')!.getBoundingClientRect().height;
      expect(loadingHeight).to.be.at.least(120);
      await loaded(el);
      expect($(el, 'section')!.getAttribute('aria-busy')).to.equal('false');
      expect($(el, '.empty')!.textContent).to.equal('No comments yet. Be the first!');
      expect($(el, '.thread')!.getBoundingClientRect().height).to.be.at.least(120);
    });

    it('renders a thread: top level in an <ol>, replies nested inside their parent <li>, markdown as HTML', async () => {
      const page = uniquePage('thread');
      const first = await post({ page, body: 'Top **one**\n\n- a\n- b', name: 'Ada' });
      const reply = await post({ page, body: 'A reply with [a link](https://example.com/x)', parentId: first.id });
      await post({ page, body: 'Top two', name: 'Grace' });
      const el = await mount(page);
      await loaded(el);
      expect($$(el, 'section > .thread > ol > li')).to.have.length(2);
      const nested = $(el, `ol > li > ol.replies > li > #comment-${reply.id}`)!;
      expect(nested.closest('li')!.parentElement!.closest('li')!.querySelector('article')!.id).to.equal(`comment-${first.id}`);
      expect(text($(el, `#comment-${reply.id} [part~="author"]`))).to.equal('Anonymous');
      expect(text($(el, `#comment-${first.id} [part~="author"]`))).to.equal('Ada');
      const body = $(el, `#comment-${first.id} [part~="body"]`)!;
      expect(body.querySelector('strong')!.textContent).to.equal('one');
      expect(body.querySelectorAll('ul > li')).to.have.length(2);
      const link = $<HTMLAnchorElement>(el, `#comment-${reply.id} [part~="body"] a`)!;
      expect(link.href).to.equal('https://example.com/x');
      expect(link.rel).to.equal('nofollow ugc noopener noreferrer');
      const time = $(el, `#comment-${first.id} time`)!;
      expect(time.getAttribute('datetime')).to.equal(first.createdAt);
      expect(time.title).to.match(/\d{4}/);
      expect(time.textContent).to.match(/now|second|minute/);
      expect(time.closest('a')!.getAttribute('href')).to.equal(`#comment-${first.id}`);
      expect(text($(el, '.count'))).to.equal('3 comments');
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

  describe('threads', () => {
    it('indents up to max-depth; deeper replies stay at the last level and say whom they answer', async () => {
      const page = uniquePage('depth');
      let parent = await post({ page, body: 'level 1', name: 'L1' });
      const chain = [parent];
      for (let level = 2; level <= 5; level++) {
        parent = await post({ page, body: `level ${level}`, name: `L${level}`, parentId: parent.id });
        chain.push(parent);
      }
      const el = await mount(page, { maxDepth: 3 });
      await loaded(el);
      const depthOf = (id: string) => {
        let depth = 0;
        for (let node: Element | null = $(el, `#comment-${id}`); node; node = node.parentElement) if (node.matches('ol:not(.flat)')) depth++;
        return depth;
      };
      expect(chain.map((c) => depthOf(c.id))).to.deep.equal([1, 2, 3, 3, 3]);
      expect($(el, `#comment-${chain[2]!.id} [part~="in-reply-to"]`)).to.be.null;
      expect(text($(el, `#comment-${chain[3]!.id} [part~="in-reply-to"]`))).to.equal('in reply to L3');
      expect(text($(el, `#comment-${chain[4]!.id} [part~="in-reply-to"]`))).to.equal('in reply to L4');
      // The default is 4 levels.
      const four = await mount(page);
      await loaded(four);
      expect(four.maxDepth).to.equal(4);
      expect(text($(four, `#comment-${chain[4]!.id} [part~="in-reply-to"]`))).to.equal('in reply to L4');
      expect($(four, `#comment-${chain[3]!.id} [part~="in-reply-to"]`)).to.be.null;
    });

    it('collapses and expands a branch with an aria-expanded button', async () => {
      const page = uniquePage('collapse');
      const top = await post({ page, body: 'top' });
      const reply = await post({ page, body: 'reply', parentId: top.id });
      await post({ page, body: 'reply 2', parentId: reply.id });
      const el = await mount(page);
      await loaded(el);
      const toggle = $<HTMLButtonElement>(el, `#comment-${top.id} [part~="collapse-button"]`)!;
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect(text(toggle)).to.equal('2 replies');
      const replies = $(el, `#${toggle.getAttribute('aria-controls')}`)!;
      expect(replies.contains($(el, `#comment-${reply.id}`))).to.be.true;
      toggle.click();
      await el.updateComplete;
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect($(el, `#comment-${reply.id}`)!.checkVisibility()).to.be.false;
      toggle.click();
      await el.updateComplete;
      expect($(el, `#comment-${reply.id}`)!.checkVisibility()).to.be.true;
    });

    it('offers "Show more replies" when a branch has more replies than sent, and loads them', async function () {
      this.timeout(60_000);
      const page = uniquePage('long-branch');
      const top = await post({ ...bulk, page, body: 'top' });
      const ids: string[] = [];
      for (let i = 0; i < 103; i++) ids.push((await post({ ...bulk, page, body: `reply ${i}`, parentId: top.id })).id);
      const el = await mount(page, bulk);
      await loaded(el);
      const more = $<HTMLButtonElement>(el, '[part~="more-replies-button"]')!;
      expect(text(more)).to.equal('Show 3 more replies');
      const present = $$(el, `#replies-${top.id} > li`).length;
      expect(present).to.equal(100);
      more.click();
      await waitUntil(() => $$(el, `#replies-${top.id} > li`).length === 103, 'rest not loaded', { timeout: 5000 });
      expect($$(el, `#replies-${top.id} > li > article`).map((a) => a.id)).to.deep.equal(ids.map((id) => `comment-${id}`));
      expect($(el, '[part~="more-replies-button"]')).to.be.null;
    });
  });

  describe('attributes', () => {
    it('uses heading and label-* overrides', async () => {
      const el = await fixture<ParleyComments>(
        html`<parley-comments page=${uniquePage('labels2')} server=${server} heading="Discussion" label-name="Nick" label-comment="Your words" label-submit="Send it" no-live></parley-comments>`,
      );
      expect(text($(el, 'h2'))).to.equal('Discussion');
      // The placeholder form (before the writing tools load) and the real one both use them.
      expect(text($(el, 'label[for="body-root"]'))).to.equal('Your words');
      expect(text($(el, '[part~="submit"]'))).to.equal('Send it');
      await wakeWriter(el);
      expect(text($(el, 'label[for="name-root"]'))).to.equal('Nick (optional)');
      expect(text($(el, 'label[for="body-root"]'))).to.equal('Your words');
      expect(text($(el, '[part~="submit"]'))).to.equal('Send it');
    });

    it('refetches when page changes and on reload()', async () => {
      const other = uniquePage('other');
      await post({ page: other, body: 'On the other page' });
      const el = await mount(uniquePage('switch'));
      await loaded(el);
      el.setAttribute('page', other);
      await waitUntil(() => text($(el, '[part~="body"]')) === 'On the other page', 'did not refetch', { timeout: 5000 });
      await post({ page: other, body: 'Posted elsewhere' });
      await el.reload();
      await waitUntil(() => $$(el, '[part~="body"]').length === 2, 'reload() did not refetch', { timeout: 5000 });
    });

    it('takes the page from <link rel="canonical"> when it has no page attribute', async () => {
      const path = uniquePage('canonical');
      await post({ page: path, body: 'Found via canonical' });
      const link = Object.assign(document.createElement('link'), { rel: 'canonical', href: `https://news.example${path}?utm_source=x#c` });
      document.head.append(link);
      try {
        const el = await fixture<ParleyComments>(html`<parley-comments server=${server} site=${site} loading="eager" no-live></parley-comments>`);
        await waitUntil(() => text($(el, '[part~="body"]')) === 'Found via canonical', 'canonical page not used', { timeout: 5000 });
      } finally {
        link.remove();
      }
    });

    it('loads lazily: not before it nears the viewport', async () => {
      const watch = watchFetch('/api/comments');
      try {
        const page = uniquePage('lazy');
        const wrapper = await fixture<HTMLDivElement>(
          html`<div><div style="height: 4000px"></div><parley-comments page=${page} server=${server} site=${site} no-live></parley-comments></div>`,
        );
        const el = wrapper.querySelector('parley-comments')!;
        // An observer of our own, with the widget's margin, reports after the widget's (registered first) has.
        await new Promise<void>((resolve) => {
          const probe = new IntersectionObserver(() => (probe.disconnect(), resolve()), { rootMargin: '400px' });
          probe.observe(el);
        });
        await el.updateComplete;
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
      const page = uniquePage('custom');
      await post({ page, body: 'x' });
      const wrapper = await fixture<HTMLDivElement>(
        html`<div style="--parley-color-text: rgb(1, 2, 3); --parley-color-surface: rgb(4, 5, 6); --parley-radius: 3px; --parley-avatar-size: 40px">
          <parley-comments page=${page} server=${server} site=${site} loading="eager" no-live></parley-comments>
        </div>`,
      );
      const el = wrapper.querySelector('parley-comments')!;
      await loaded(el as ParleyComments);
      expect(getComputedStyle($(el, 'h2')!).color).to.equal('rgb(1, 2, 3)');
      const article = $(el, 'article')!;
      expect(getComputedStyle(article).backgroundColor).to.equal('rgb(4, 5, 6)');
      expect(getComputedStyle(article).borderTopLeftRadius).to.equal('3px');
      expect($(el, '[part~="avatar"]')!.getBoundingClientRect().width).to.equal(40);
    });

    it('sorts by the sort attribute and by the labelled select', async () => {
      const page = uniquePage('sort');
      const a = await post({ page, body: 'first' });
      const b = await post({ page, body: 'second' });
      const c = await post({ page, body: 'third' });
      await api('POST', `/api/comments/${b.id}/like`, '', { site, readerId: 'reader-aaaaaaaaaaaaaaaa', liked: true });
      const order = (el: ParleyComments) => $$(el, '.comments > li > article').map((article) => article.id.slice(8));
      const el = await mount(page, { sort: 'newest' });
      await loaded(el);
      expect(order(el)).to.deep.equal([c.id, b.id, a.id]);
      const select = $<HTMLSelectElement>(el, 'select[part~="sort"]')!;
      expect(select.value).to.equal('newest');
      expect(text(select.closest('label'))).to.match(/^Sort by/);
      select.value = 'top';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => order(el)[0] === b.id, 'top sort not applied', { timeout: 5000 });
      expect(el.sort).to.equal('top');
      select.value = 'oldest';
      select.dispatchEvent(new Event('change'));
      await waitUntil(() => order(el).join() === [a.id, b.id, c.id].join(), 'oldest sort not applied', { timeout: 5000 });
    });

    it('draws identicons by default, gravatar images with avatars="gravatar", nothing with no-avatars', async () => {
      const page = uniquePage('avatars');
      await post({ page, body: 'with email', name: 'Ada', email: 'ada@example.com' });
      await post({ page, body: 'without', name: 'Bob' });
      const watch = watchFetch('gravatar');
      const plain = await mount(page);
      await loaded(plain);
      const icons = $$(plain, '[part~="avatar"]');
      expect(icons).to.have.length(2);
      for (const icon of icons) expect(icon.querySelector('svg path')).to.exist;
      expect($$(plain, 'img')).to.have.length(0);
      // Different authors, different pictures.
      expect(icons[0]!.innerHTML).to.not.equal(icons[1]!.innerHTML);
      expect(watch.calls).to.have.length(0);
      watch.restore();

      const fetches = watchFetch('avatars=gravatar');
      const withGravatar = await mount(page, { avatars: 'gravatar' });
      await loaded(withGravatar);
      fetches.restore();
      expect(fetches.calls).to.have.length(1);
      const img = $<HTMLImageElement>(withGravatar, 'img[part~="avatar"]')!;
      expect(img.getAttribute('src')).to.match(/^https:\/\/www\.gravatar\.com\/avatar\/[0-9a-f]{64}\?d=identicon&s=64$/);
      expect(img.alt).to.equal('');
      expect($$(withGravatar, 'span[part~="avatar"]')).to.have.length(1);

      const none = await mount(page, { noAvatars: true });
      await loaded(none);
      expect($$(none, '[part~="avatar"]')).to.have.length(0);
    });
  });

  describe('posting', () => {
    it('posts from the form: shows the comment, fires the event, moves focus, announces', async () => {
      const page = uniquePage('post');
      const el = await mount(page);
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form[part~="form"]')!;
      const event = await postFromForm(el, form, 'Hello *world*', 'Maya', 'maya@example.com');
      expect(event).to.be.instanceOf(ParleyCommentPostedEvent);
      expect(event.bubbles && event.composed).to.be.true;
      expect(event.comment.body).to.equal('Hello *world*');
      expect(event.comment.author.name).to.equal('Maya');
      expect(event.comment.page).to.equal(page);

      const article = $(el, `#comment-${event.comment.id}`)!;
      expect(article.querySelector('[part~="body"] em')!.textContent).to.equal('world');
      expect(text(article.querySelector('[part~="author"]'))).to.equal('Maya');
      expect(shadow(el).activeElement).to.equal(article);
      expect(form.querySelector('textarea')!.value).to.equal('');
      await waitUntil(() => $(el, '[role="status"]')!.textContent === 'Comment posted', 'not announced');
      expect(text($(el, '.count'))).to.equal('1 comment');
      // The email is never shown.
      expect(shadow(el).textContent).to.not.include('maya@example.com');

      const again = await mount(page);
      await waitUntil(() => $(again, `#comment-${event.comment.id}`), 'not persisted', { timeout: 5000 });
    });

    it('replies under a comment with the reply form; Cancel closes it', async () => {
      const page = uniquePage('reply');
      const parent = await post({ page, body: 'Parent' });
      const el = await mount(page);
      await loaded(el);
      const replyButton = $<HTMLButtonElement>(el, `#comment-${parent.id} [part~="reply-button"]`)!;
      replyButton.click();
      await el.updateComplete;
      expect(replyButton.getAttribute('aria-expanded')).to.equal('true');
      let replyForm = $<HTMLFormElement>(el, '.sub-form')!;
      expect(replyForm.closest('li')!.querySelector('article')!.id).to.equal(`comment-${parent.id}`);
      await waitUntil(() => shadow(el).activeElement === replyForm.querySelector('textarea'), 'reply textarea not focused');
      buttonNamed(replyForm, 'Cancel').click();
      await el.updateComplete;
      expect($(el, '.sub-form')).to.be.null;
      await waitUntil(() => shadow(el).activeElement === replyButton, 'focus not back on Reply');

      replyButton.click();
      await el.updateComplete;
      replyForm = $<HTMLFormElement>(el, '.sub-form')!;
      const { comment } = await postFromForm(el, replyForm, 'A reply', 'Lin');
      expect(comment.parentId).to.equal(parent.id);
      const nested = $(el, `ol > li > ol.replies > li > #comment-${comment.id}`)!;
      expect(shadow(el).activeElement).to.equal(nested);
      expect($(el, '.sub-form')).to.be.null;
      expect(text($(el, '.count'))).to.equal('2 comments');
      expect(text($(el, `#comment-${parent.id} [part~="collapse-button"]`))).to.equal('1 reply');
    });

    it("shows the server's validation error for a blank body next to the field, announces it and focuses it", async () => {
      const el = await mount(uniquePage('blank'));
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      form.querySelector('textarea')!.value = '    ';
      form.requestSubmit();
      await waitUntil(() => $(el, '[part~="form-error"]'), 'no error shown', { timeout: 5000 });
      const textarea = form.querySelector('textarea')!;
      expect(textarea.getAttribute('aria-invalid')).to.equal('true');
      const errorId = textarea.getAttribute('aria-describedby')!.split(' ').find((id) => id.endsWith('-error'))!;
      expect($(el, `#${errorId}`)!.textContent).to.match(/empty/i);
      expect($(el, '[part~="form-error"]')!.textContent).to.match(/^Your comment was not posted: /);
      await waitUntil(() => $(el, '[role="status"]')!.textContent!.startsWith('Your comment was not posted'));
      expect(shadow(el).activeElement).to.equal(textarea);
      expect($(el, '.empty')).to.exist;
    });

    it('maps an over-long name and a bad email to their fields and focuses the first invalid one', async () => {
      const el = await mount(uniquePage('long-name'));
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      // maxlength and type=email only limit typing; scripted values get past them to the server.
      fill(form, 'Fine body', 'n'.repeat(AUTHOR_NAME_MAX_LENGTH + 5), 'not-an-email');
      form.querySelector<HTMLInputElement>('input[name="email"]')!.type = 'text';
      form.requestSubmit();
      await waitUntil(() => $(el, '[part~="form-error"]'), 'no error shown', { timeout: 5000 });
      const name = form.querySelector<HTMLInputElement>('input[name="name"]')!;
      expect(name.getAttribute('aria-invalid')).to.equal('true');
      expect(form.querySelector('input[name="email"]')!.getAttribute('aria-invalid')).to.equal('true');
      expect(form.querySelector('textarea')!.getAttribute('aria-invalid')).to.equal('false');
      expect(shadow(el).activeElement).to.equal(name);
    });

    it('relies on native constraints: an empty textarea does not reach the server', async () => {
      const el = await mount(uniquePage('native'));
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      const textarea = form.querySelector('textarea')!;
      const watch = watchFetch('/api/comments');
      let [submitted, invalid] = [0, 0];
      form.addEventListener('submit', () => submitted++);
      textarea.addEventListener('invalid', () => invalid++);
      try {
        // The browser checks constraints synchronously within the click: `invalid` fires and `submit` does not.
        $<HTMLButtonElement>(el, '[part~="submit"]')!.click();
        expect(invalid).to.equal(1);
        expect(textarea.validity.valueMissing).to.be.true;
        expect(submitted).to.equal(0);
        expect(watch.calls.filter((call) => call.body !== undefined)).to.have.length(0);
      } finally {
        watch.restore();
      }
    });

    it('remembers name and email only when "Remember me" is checked', async () => {
      const page = uniquePage('remember');
      const el = await mount(page);
      await loaded(el);
      let form = $<HTMLFormElement>(el, 'form')!;
      const remember = form.querySelector<HTMLInputElement>('input[name="remember"]')!;
      expect(text(remember.closest('label'))).to.equal('Remember me');
      expect(remember.checked).to.be.false;
      remember.checked = true;
      await postFromForm(el, form, 'one', 'Zoe', 'zoe@example.com');
      const next = await mount(page);
      await loaded(next);
      form = $<HTMLFormElement>(next, 'form')!;
      expect(form.querySelector<HTMLInputElement>('input[name="name"]')!.value).to.equal('Zoe');
      expect(form.querySelector<HTMLInputElement>('input[name="email"]')!.value).to.equal('zoe@example.com');
      expect(form.querySelector<HTMLInputElement>('input[name="remember"]')!.checked).to.be.true;
      form.querySelector<HTMLInputElement>('input[name="remember"]')!.checked = false;
      await postFromForm(next, form, 'two', 'Zoe', 'zoe@example.com');
      const third = await mount(page);
      expect($<HTMLInputElement>(third, 'input[name="name"]')!.value).to.equal('');
      expect(Object.keys(localStorage).filter((key) => key === 'parley:me')).to.have.length(0);
    });
  });

  describe('preview', () => {
    it('toggles Write / Preview (aria-pressed) and shows the server-rendered, sanitised preview', async () => {
      const el = await mount(uniquePage('preview'));
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      const [write, preview] = [buttonNamed(form, 'Write'), buttonNamed(form, 'Preview')];
      expect(write.getAttribute('aria-pressed')).to.equal('true');
      expect(preview.getAttribute('aria-pressed')).to.equal('false');
      preview.click();
      await el.updateComplete;
      expect(text(form.querySelector('[part~="preview"]'))).to.equal('Nothing to preview.');
      write.click();
      await el.updateComplete;
      const textarea = form.querySelector('textarea')!;
      textarea.value = '**bold** <script>window.__xss = 1</script> [x](javascript:alert(1))';
      const watch = watchFetch('/api/preview');
      preview.click();
      await waitUntil(() => form.querySelector('[part~="preview"] strong'), 'no preview', { timeout: 5000 });
      watch.restore();
      expect(watch.calls).to.have.length(1);
      expect(preview.getAttribute('aria-pressed')).to.equal('true');
      expect(textarea.hidden).to.be.true;
      const shown = form.querySelector('[part~="preview"]')!;
      assertOnlyAllowlisted(shown);
      expect(shown.querySelector('a[href^="javascript"]')).to.be.null;
      expect((window as { __xss?: unknown }).__xss).to.be.undefined;
      write.click();
      await el.updateComplete;
      expect(textarea.hidden).to.be.false;
      expect(textarea.value).to.include('**bold**');
      expect(form.querySelector('[part~="preview"]')).to.be.null;
    });
  });

  describe('edit and delete', () => {
    it('edits an own comment in place, marks it (edited) and fires parley-comment-edited', async () => {
      const el = await mount(uniquePage('edit'));
      await loaded(el);
      const { comment } = await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'Frist post');
      const stored = JSON.parse(localStorage.getItem(`parley:own:${server}|${site}`)!);
      expect(stored[comment.id]).to.deep.equal({ token: comment.editToken, body: 'Frist post', editableUntil: comment.editableUntil });
      const editButton = $<HTMLButtonElement>(el, `#comment-${comment.id} [part~="edit-button"]`)!;
      expect($(el, `#comment-${comment.id} [part~="delete-button"]`)).to.exist;
      editButton.click();
      await el.updateComplete;
      const form = $<HTMLFormElement>(el, `#comment-${comment.id} form`)!;
      const textarea = form.querySelector('textarea')!;
      await waitUntil(() => shadow(el).activeElement === textarea, 'edit textarea not focused');
      expect(textarea.value).to.equal('Frist post');
      textarea.value = 'First *post*';
      const edited = oneEvent(el, 'parley-comment-edited');
      form.querySelector<HTMLButtonElement>('[part~="submit"]')!.click();
      const event = (await edited) as unknown as ParleyCommentEditedEvent;
      expect(event).to.be.instanceOf(ParleyCommentEditedEvent);
      expect(event.composed && event.bubbles).to.be.true;
      expect(event.comment.body).to.equal('First *post*');
      await el.updateComplete;
      expect(text($(el, `#comment-${comment.id} [part~="body"]`))).to.equal('First post');
      expect($(el, `#comment-${comment.id} [part~="body"] em`)).to.exist;
      expect(text($(el, `#comment-${comment.id} [part~="edited"]`))).to.equal('(edited)');
      expect(JSON.parse(localStorage.getItem(`parley:own:${server}|${site}`)!)[comment.id].body).to.equal('First *post*');
      await waitUntil(() => $(el, '[role="status"]')!.textContent === 'Comment edited');
    });

    it('shows no Edit/Delete on comments of others or after the edit window', async () => {
      const page = uniquePage('not-mine');
      const other = await post({ page, body: 'not mine' });
      const el = await mount(page);
      await loaded(el);
      expect($(el, `#comment-${other.id} [part~="edit-button"]`)).to.be.null;
      const { comment } = await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'mine');
      expect($(el, `#comment-${comment.id} [part~="edit-button"]`)).to.exist;
      const key = `parley:own:${server}|${site}`;
      const own = JSON.parse(localStorage.getItem(key)!);
      own[comment.id].editableUntil = new Date(Date.now() - 1000).toISOString();
      localStorage.setItem(key, JSON.stringify(own));
      el.requestUpdate();
      await el.updateComplete;
      expect($(el, `#comment-${comment.id} [part~="edit-button"]`)).to.be.null;
    });

    it('shows a 403 clearly (wrong token) in the edit form and for delete', async () => {
      const el = await mount(uniquePage('forbidden'));
      await loaded(el);
      const { comment } = await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'mine');
      const key = `parley:own:${server}|${site}`;
      const own = JSON.parse(localStorage.getItem(key)!);
      own[comment.id].token = 'A'.repeat(43);
      localStorage.setItem(key, JSON.stringify(own));
      $<HTMLButtonElement>(el, `#comment-${comment.id} [part~="edit-button"]`)!.click();
      await el.updateComplete;
      const form = $<HTMLFormElement>(el, `#comment-${comment.id} form`)!;
      form.querySelector('textarea')!.value = 'changed';
      form.requestSubmit();
      await waitUntil(() => form.querySelector('[part~="form-error"]'), 'no edit error', { timeout: 5000 });
      expect(text(form.querySelector('[part~="form-error"]'))).to.equal('Only the author can change this comment.');
      buttonNamed(form, 'Cancel').click();
      await el.updateComplete;
      $<HTMLButtonElement>(el, `#comment-${comment.id} [part~="delete-button"]`)!.click();
      await confirmDelete(el, comment.id);
      await waitUntil(() => $(el, `#comment-${comment.id} [part~="form-error"]`), 'no delete error', { timeout: 5000 });
      expect(text($(el, `#comment-${comment.id} [part~="form-error"]`))).to.equal('Only the author can change this comment.');
      expect($(el, `#comment-${comment.id} [part~="body"]`)).to.exist;
    });

    it('deletes: removes a comment without replies, leaves [deleted] when it has replies; fires parley-comment-deleted', async () => {
      const page = uniquePage('delete');
      const el = await mount(page);
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      const { comment: lonely } = await postFromForm(el, form, 'lonely');
      const { comment: parent } = await postFromForm(el, form, 'has replies');
      const reply = await post({ page, body: 'a reply', parentId: parent.id });
      await el.reload();
      await waitUntil(() => $(el, `#comment-${reply.id}`), 'reply not loaded', { timeout: 5000 });

      const deleted = oneEvent(el, 'parley-comment-deleted');
      $<HTMLButtonElement>(el, `#comment-${lonely.id} [part~="delete-button"]`)!.click();
      await confirmDelete(el, lonely.id);
      const event = (await deleted) as unknown as ParleyCommentDeletedEvent;
      expect(event).to.be.instanceOf(ParleyCommentDeletedEvent);
      expect([event.id, event.status, event.page]).to.deep.equal([lonely.id, 'removed', page]);
      await el.updateComplete;
      expect($(el, `#comment-${lonely.id}`)).to.be.null;
      expect(text($(el, '.count'))).to.equal('2 comments');

      $<HTMLButtonElement>(el, `#comment-${parent.id} [part~="delete-button"]`)!.click();
      await confirmDelete(el, parent.id);
      await waitUntil(() => $(el, `#comment-${parent.id}[part~="deleted"]`), 'no placeholder', { timeout: 5000 });
      expect(text($(el, `#comment-${parent.id} [part~="author"]`))).to.equal('[deleted]');
      expect($(el, `#comment-${parent.id} [part~="body"]`)).to.be.null;
      expect($(el, `#comment-${reply.id}`)).to.exist;
      expect(text($(el, '.count'))).to.equal('1 comment');
      await waitUntil(() => $(el, '[role="status"]')!.textContent === 'Comment deleted');
      // Still so after a fresh load.
      const again = await mount(page);
      await loaded(again);
      expect($(again, `#comment-${parent.id}[part~="deleted"]`)).to.exist;
      expect($(again, `#comment-${lonely.id}`)).to.be.null;
    });
  });

  describe('likes', () => {
    it('toggles a like with aria-pressed and a count, reconciled with the server and kept across loads', async () => {
      const page = uniquePage('likes');
      const comment = await post({ page, body: 'like me' });
      const el = await mount(page);
      await loaded(el);
      const button = () => $<HTMLButtonElement>(el, `#comment-${comment.id} [part~="like-button"]`)!;
      expect(button().getAttribute('aria-pressed')).to.equal('false');
      expect(text(button())).to.equal('Like 0');
      const watch = watchFetch('/like');
      button().click();
      await el.updateComplete;
      // Optimistic: shown before the server answers.
      expect(button().getAttribute('aria-pressed')).to.equal('true');
      expect(text(button())).to.equal('Like 1');
      await waitUntil(() => watch.calls.length === 1);
      const body = watch.calls[0]!.body as { readerId: string; liked: boolean; site: string };
      expect(body.liked).to.be.true;
      expect(body.readerId).to.match(/^[0-9a-f]{32}$/);
      expect(JSON.parse(localStorage.getItem('parley:reader')!)).to.equal(body.readerId);
      // The server has answered the like: it is stored.
      await waitUntil(() => watch.calls[0]!.settled, 'like not answered', { timeout: 5000 });
      const fresh = await (await fetch(`${server}/api/comments?site=${site}&page=${encodeURIComponent(page)}`)).json();
      expect(fresh.comments[0].likes).to.equal(1);

      const again = await mount(page);
      await loaded(again);
      const other = $<HTMLButtonElement>(again, `#comment-${comment.id} [part~="like-button"]`)!;
      expect(other.getAttribute('aria-pressed')).to.equal('true');
      other.click();
      await waitUntil(() => text(other) === 'Like 0' && other.getAttribute('aria-pressed') === 'false');
      await waitUntil(() => watch.calls.length === 2 && watch.calls[1]!.settled, 'unlike not answered', { timeout: 5000 });
      watch.restore();
      const after = await (await fetch(`${server}/api/comments?site=${site}&page=${encodeURIComponent(page)}`)).json();
      expect(after.comments[0].likes).to.equal(0);
    });

    it('reverts the optimistic like when the server refuses it', async () => {
      const page = uniquePage('like-fail');
      const comment = await post({ page, body: 'x' });
      const keep = await post({ page, body: 'keeps the thread non-empty' });
      const el = await mount(page);
      await loaded(el);
      // Deleted behind the widget's back: the like gets a real 404.
      expect((await api('DELETE', `/api/comments/${comment.id}?site=${site}`, comment.editToken)).status).to.equal(200);
      const button = $<HTMLButtonElement>(el, `#comment-${comment.id} [part~="like-button"]`)!;
      button.click();
      await waitUntil(() => $(el, `#comment-${comment.id} [part~="form-error"]`), 'no error', { timeout: 5000 });
      expect(button.getAttribute('aria-pressed')).to.equal('false');
      expect(text(button)).to.equal('Like 0');
      expect(JSON.parse(localStorage.getItem(`parley:liked:${server}|${site}`) ?? '[]')).to.not.include(comment.id);
      expect(keep.id).to.be.a('string');
    });
  });

  describe('big threads', () => {
    it('shows the first page and appends the next with "Show more comments"', async function () {
      this.timeout(30_000);
      const page = uniquePage('pages');
      const ids: string[] = [];
      for (let i = 0; i < 23; i++) ids.push((await post({ page, body: `comment ${i}` })).id);
      const el = await mount(page);
      await loaded(el);
      expect($$(el, '.comments > li')).to.have.length(20);
      expect(text($(el, '.count'))).to.equal('23 comments');
      const more = $<HTMLButtonElement>(el, '[part~="more-button"]')!;
      expect(text(more)).to.equal('Show more comments');
      more.click();
      await waitUntil(() => $$(el, '.comments > li').length === 23, 'next page not appended', { timeout: 5000 });
      expect($$(el, '.comments > li > article').map((a) => a.id)).to.deep.equal(ids.map((id) => `comment-${id}`));
      expect($(el, '[part~="more-button"]')).to.be.null;
    });
  });

  describe('live updates', () => {
    it('holds new comments behind a polite banner, shows them on click, and does not double-count own posts', async () => {
      const watch = watchEventSources();
      try {
        const page = uniquePage('live');
        const el = await mount(page, { live: true });
        await loaded(el);
        await openStream(watch.sources, page);
        const first = await post({ page, body: 'from another reader' });
        const second = await post({ page, body: 'and another', parentId: first.id });
        await waitUntil(() => text($(el, '[part~="banner"]')) === '2 new comments — show', 'no banner', { timeout: 5000 });
        expect($(el, '[part~="banner"]')!.parentElement!.getAttribute('aria-live')).to.equal('polite');
        expect($(el, `#comment-${first.id}`)).to.be.null;

        // Own post: shown at once, and its live echo is not counted as news.
        const source = watch.sources.at(-1)!;
        const echoes: string[] = [];
        source.addEventListener('comment.created', (event) => echoes.push(JSON.parse((event as MessageEvent<string>).data).id));
        const { comment: mine } = await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'my own');
        // The stream has delivered the echo of the reader's own comment (to the widget's listener too, registered first).
        await waitUntil(() => echoes.includes(mine.id), 'no live echo of the own comment', { timeout: 5000 });
        await el.updateComplete;
        expect(text($(el, '[part~="banner"]'))).to.equal('2 new comments — show');
        expect($$(el, `#comment-${mine.id}`)).to.have.length(1);

        $<HTMLButtonElement>(el, '[part~="banner"]')!.click();
        await el.updateComplete;
        expect($(el, `#comment-${first.id}`)).to.exist;
        expect($(el, `ol.replies #comment-${second.id}`)).to.exist;
        expect($(el, '[part~="banner"]')).to.be.null;
        expect(text($(el, '.count'))).to.equal('3 comments');
        await waitUntil(() => shadow(el).activeElement?.id === `comment-${first.id}`);

        // Edits and deletes by others apply in place.
        expect((await api('PATCH', `/api/comments/${first.id}`, first.editToken, { site, body: 'edited **live**' })).status).to.equal(200);
        await waitUntil(() => $(el, `#comment-${first.id} [part~="body"] strong`), 'edit not applied', { timeout: 5000 });
        expect($(el, `#comment-${first.id} [part~="edited"]`)).to.exist;
        expect((await api('DELETE', `/api/comments/${second.id}?site=${site}`, second.editToken)).status).to.equal(200);
        await waitUntil(() => !$(el, `#comment-${second.id}`), 'delete not applied', { timeout: 5000 });
        expect(text($(el, '.count'))).to.equal('2 comments');
      } finally {
        watch.restore();
      }
    });

    it('closes the stream on disconnect and re-subscribes when page changes; no-live opens none', async () => {
      const watch = watchEventSources();
      try {
        const page = uniquePage('live-switch');
        const el = await mount(page, { live: true });
        await loaded(el);
        await openStream(watch.sources, page);
        const first = watch.sources.at(-1)!;
        const other = uniquePage('live-other');
        el.page = other;
        await openStream(watch.sources, other);
        expect(first.readyState).to.equal(EventSource.CLOSED);
        const second = watch.sources.at(-1)!;
        await el.reload();
        await openStream(watch.sources, other);
        const third = watch.sources.at(-1)!;
        expect(second.readyState === EventSource.CLOSED || second === third).to.be.true;
        const parent = el.parentElement!;
        el.remove();
        expect(third.readyState).to.equal(EventSource.CLOSED);
        parent.append(el);
        await openStream(watch.sources, other);
        expect(watch.sources.at(-1)).to.not.equal(third);
        el.remove();

        const count = watch.sources.length;
        const quiet = await mount(uniquePage('no-live'));
        await loaded(quiet);
        // The stream is opened (or not) in the update that renders the loaded thread.
        await quiet.updateComplete;
        expect(watch.sources.length).to.equal(count);
      } finally {
        watch.restore();
      }
    });
  });

  describe('permalinks', () => {
    it('scrolls to and highlights #comment-ID, fetching it when it is not on the first page', async function () {
      this.timeout(30_000);
      const page = uniquePage('permalink');
      const ids: string[] = [];
      for (let i = 0; i < 22; i++) ids.push((await post({ page, body: `comment ${i}` })).id);
      const deep = await post({ page, body: 'the one', parentId: ids[21]! });
      history.replaceState(null, '', `#comment-${deep.id}`);
      const el = await mount(page);
      await waitUntil(() => $(el, `#comment-${deep.id}.highlighted`), 'not highlighted', { timeout: 5000 });
      const article = $(el, `#comment-${deep.id}`)!;
      expect(article.getAttribute('part')).to.include('highlighted');
      expect(shadow(el).activeElement).to.equal(article);
      const box = article.getBoundingClientRect();
      expect(box.top).to.be.within(0, innerHeight);
      // Clicking another comment's time link moves the highlight.
      const link = $<HTMLAnchorElement>(el, `#comment-${ids[0]} [part~="permalink"]`)!;
      link.click();
      await waitUntil(() => $(el, `#comment-${ids[0]}.highlighted`), 'hashchange not followed', { timeout: 5000 });
      history.replaceState(null, '', location.pathname);
    });
  });

  describe('time', () => {
    it('refreshes relative times every minute on its own (the widgets\' clock moved forward, no real wait)', async () => {
      const page = uniquePage('clock');
      const comment = await post({ page, body: 'tick' });
      const { now, every } = clock;
      const timers: Array<{ ms: number; tick: () => void; stopped: boolean }> = [];
      let offset = 0;
      clock.now = () => now() + offset;
      clock.every = (ms, tick) => {
        const timer = { ms, tick, stopped: false };
        timers.push(timer);
        return () => (timer.stopped = true);
      };
      try {
        const el = await mount(page);
        await loaded(el);
        const time = () => $(el, `#comment-${comment.id} time`)!;
        expect(text(time())).to.equal('now');
        expect(time().title).to.equal(new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(comment.createdAt)));
        const [minute] = timers.filter((timer) => !timer.stopped);
        expect(minute?.ms).to.equal(60_000);
        offset = 61_000;
        minute!.tick();
        await el.updateComplete;
        expect(text(time())).to.equal('1 minute ago');
        el.remove();
        expect(minute!.stopped, 'the timer stops with the element').to.be.true;
      } finally {
        Object.assign(clock, { now, every });
      }
    });
  });

  describe('languages', () => {
    it('loads Ukrainian on demand from lang and uses its plural forms', async () => {
      const page = uniquePage('uk');
      for (let i = 0; i < 2; i++) await post({ page, body: `c${i}` });
      const el = await mount(page, { lang: 'uk' });
      await waitUntil(() => text($(el, 'h2')) === 'Залиште коментар', 'Ukrainian not loaded', { timeout: 5000 });
      await loaded(el);
      expect(text($(el, '.count'))).to.equal('2 коментарі');
      expect(text($(el, '[part~="submit"]'))).to.equal('Надіслати коментар');
      const en = (await import('../../i18n/en-writer.ts')).completeEnglish();
      const { loadLanguage, localize } = await import('../../i18n/localize.ts');
      await loadLanguage('uk');
      const probe = Object.assign(document.createElement('span'), { lang: 'uk' });
      document.body.append(probe);
      const uk = localize(probe);
      probe.remove();
      expect([1, 2, 5, 11, 21, 22, 25].map((n) => uk.commentCount(n))).to.deep.equal([
        '1 коментар', '2 коментарі', '5 коментарів', '11 коментарів', '21 коментар', '22 коментарі', '25 коментарів',
      ]);
      expect(uk.commentCount(0)).to.equal('Немає коментарів');
      expect(uk.newComments(3)).to.equal('3 нові коментарі — показати');
      // Every string is translated.
      for (const key of Object.keys(en) as Array<keyof typeof en>) {
        if (key === '$code' || key === '$dir') continue;
        const value = uk[key];
        const english = en[key];
        if (typeof value === 'string') expect(value, key).to.not.equal(english);
        else expect(typeof value, key).to.equal('function');
      }
    });

    it('takes the language from the nearest [lang], then <html lang>; Polish plurals', async () => {
      const page = uniquePage('pl');
      for (let i = 0; i < 5; i++) await post({ page, body: `c${i}` });
      const wrapper = await fixture<HTMLDivElement>(
        html`<div lang="pl-PL"><parley-comments page=${page} server=${server} site=${site} loading="eager" no-live></parley-comments></div>`,
      );
      const el = wrapper.firstElementChild as ParleyComments;
      await waitUntil(() => text($(el, '.count')) === '5 komentarzy', 'Polish not used', { timeout: 5000 });
      const { localize, loadLanguage } = await import('../../i18n/localize.ts');
      await loadLanguage('pl');
      const pl = localize(el);
      expect([1, 2, 4, 5, 12, 22].map((n) => pl.commentCount(n))).to.deep.equal([
        '1 komentarz', '2 komentarze', '4 komentarze', '5 komentarzy', '12 komentarzy', '22 komentarze',
      ]);
      document.documentElement.lang = 'de';
      try {
        const de = await mount(uniquePage('de'));
        await waitUntil(() => text($(de, 'h2')) === 'Schreiben Sie einen Kommentar', 'html lang not used', { timeout: 5000 });
      } finally {
        document.documentElement.lang = 'en';
      }
      for (const code of ['fr', 'es']) {
        const other = await mount(uniquePage(code), { lang: code });
        await waitUntil(() => text($(other, 'h2')) !== 'Leave a Comment', `${code} not loaded`, { timeout: 5000 });
      }
    });
  });

  describe('events', () => {
    it('fires parley-comments-loaded with the thread', async () => {
      const page = uniquePage('loaded-event');
      await post({ page, body: 'x' });
      const el = document.createElement('parley-comments');
      Object.assign(el, { page, server, site, loading: 'eager', noLive: true });
      const loadedEvent = oneEvent(el, 'parley-comments-loaded');
      await fixture(html`<div></div>`).then((div) => div.append(el));
      const event = (await loadedEvent) as unknown as ParleyCommentsLoadedEvent;
      expect(event).to.be.instanceOf(ParleyCommentsLoadedEvent);
      expect(event.thread.page).to.equal(page);
      expect(event.thread.total).to.equal(1);
      expect(event.composed && event.bubbles).to.be.true;
    });
  });

  describe('moderation', () => {
    const status = (el: ParleyComments) => $(el, '[role="status"]')!.textContent;

    it('carries a clipped, in-place honeypot and how long the form was open, and waits out the site\'s fill time', async function () {
      this.timeout(20_000);
      const page = uniquePage('honeypot');
      // The gate is on for this site: a comment "typed" in no time is refused.
      const quick = await fetch(`${configured}/api/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ site: 'gated', page, body: 'Instant', honeypot: '', fillMs: 150 }),
      });
      expect(quick.status).to.equal(422);
      expect(((await quick.json()) as { error: { message: string } }).error.message).to.match(/wait a few seconds/);

      const el = await mount(page, { server: configured, site: 'gated' });
      const shown = performance.now();
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      const trap = form.querySelector<HTMLElement>('.trap')!;
      expect(trap.getAttribute('aria-hidden')).to.equal('true');
      const input = trap.querySelector<HTMLInputElement>('input')!;
      expect(input.tabIndex).to.equal(-1);
      expect(input.getAttribute('autocomplete')).to.equal('off');
      expect(text(trap.querySelector(`label[for="${input.id}"]`))).to.equal('Leave this field empty');
      // Not display:none or visibility:hidden (bots skip those) but clipped inside the form's own box.
      expect(getComputedStyle(input).display).to.not.equal('none');
      expect(getComputedStyle(input).visibility).to.equal('visible');
      expectHiddenInPlace(form, trap, input);
      await expect(el).to.be.accessible();

      const calls = watchFetch('/api/comments');
      try {
        const { comment } = await postFromForm(el, form, 'A person wrote this');
        const sent = calls.calls.find((call) => call.body)!.body as { honeypot: string; fillMs: number; renderedAt?: number };
        expect(sent.honeypot).to.equal('');
        expect(sent.renderedAt).to.equal(undefined);
        // Measured on the page's own clock; accepted by the real server, which refuses anything under 2 s.
        expect(Number.isInteger(sent.fillMs)).to.be.true;
        expect(sent.fillMs).to.be.at.least(2000);
        expect(sent.fillMs).to.be.at.most(Math.ceil(performance.now() - shown) + 1000);
        expect($(el, `#comment-${comment.id}`)).to.exist;
        await waitUntil(() => status(el) === 'Comment posted', 'not announced');
      } finally {
        calls.restore();
      }
    });

    it('keeps the honeypot out of sight on a right-to-left page and in a narrow column, without widening the page', async () => {
      for (const [dir, width] of [['rtl', ''], ['ltr', '390px'], ['rtl', '390px']] as const) {
        document.documentElement.dir = dir;
        try {
          const el = await mount(uniquePage(`trap-${dir}`));
          el.parentElement!.style.width = width;
          await loaded(el);
          const form = $<HTMLFormElement>(el, 'form')!;
          const trap = form.querySelector<HTMLElement>('.trap')!;
          expectHiddenInPlace(form, trap, trap.querySelector('input')!);
          const root = document.documentElement;
          expect(root.scrollWidth, `page width (${dir} ${width})`).to.be.at.most(root.clientWidth);
          el.parentElement!.remove();
        } finally {
          document.documentElement.dir = '';
        }
      }
    });

    it("shows the server's safe reason for a refused comment (422) and keeps the text", async function () {
      this.timeout(20_000);
      const el = await mount(uniquePage('refused'), { server: configured, site: 'gated' });
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      const textarea = form.querySelector('textarea')!;
      const error = () => text($(el, '[part~="form-error"]'));

      // Too many links for the site (it allows one).
      fill(form, 'See [a](https://a.example) and [b](https://b.example)');
      form.requestSubmit();
      await waitUntil(() => error(), 'no error for too many links', { timeout: 8000 });
      expect(error()).to.equal('Your comment was not posted: Comments may contain at most 1 link.');
      await waitUntil(() => status(el) === error(), 'not announced');
      expect(textarea.value).to.equal('See [a](https://a.example) and [b](https://b.example)');

      // A filled honeypot: refused with a deliberately vague reason.
      textarea.value = 'Cheap watches';
      form.querySelector<HTMLInputElement>('input[name="website"]')!.value = 'https://spam.example';
      form.requestSubmit();
      await waitUntil(() => /could not be accepted/.test(error()), 'no error for the honeypot', { timeout: 8000 });
      expect(error()).to.not.match(/honeypot/i);
      expect(textarea.value).to.equal('Cheap watches');
      expect($(el, '.comments')).to.be.null;
    });

    it("shows the server's message when the thread is locked (403) and keeps the text", async () => {
      const page = uniquePage('locked');
      const lock = await fetch(`${configured}/api/admin/threads`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${configuredToken}` },
        body: JSON.stringify({ site: 'held', page, locked: true }),
      });
      expect(lock.status).to.equal(200);
      const el = await mount(page, { server: configured, site: 'held' });
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      fill(form, 'Too late?');
      form.requestSubmit();
      await waitUntil(() => $(el, '[part~="form-error"]'), 'no error', { timeout: 5000 });
      expect(text($(el, '[part~="form-error"]'))).to.equal('Your comment was not posted: This discussion is closed to new comments');
      expect(form.querySelector('textarea')!.value).to.equal('Too late?');
    });

    it('shows a comment held for approval in place with a badge, announces it, and keeps it across reloads', async () => {
      const page = uniquePage('held');
      const el = await mount(page, { server: configured, site: 'held' });
      await loaded(el);
      const { comment } = await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'Please approve me', 'Ada');
      expect(comment.status).to.equal('pending');
      const article = $(el, `#comment-${comment.id}`)!;
      expect(article.getAttribute('part')!.split(' ')).to.include('pending');
      expect(text(article.querySelector('[part~="pending-badge"]'))).to.equal('Waiting for approval');
      expect(text(article.querySelector('[part~="author"]'))).to.equal('Ada');
      // Nobody can like, answer or report what is not public yet.
      expect(article.querySelector('[part~="like-button"], [part~="reply-button"], [part~="report-button"]')).to.be.null;
      expect(shadow(el).activeElement).to.equal(article);
      await waitUntil(() => status(el) === 'Your comment is waiting for approval', 'not announced');
      expect($<HTMLTextAreaElement>(el, 'textarea')!.value).to.equal('');
      await expect(el).to.be.accessible();

      // Not in the public thread...
      const thread = (await (await fetch(`${configured}/api/comments?site=held&page=${encodeURIComponent(page)}`)).json()) as CommentThread;
      expect(thread.comments.map((node) => node.id)).to.not.include(comment.id);
      // ...but its author still sees it after a reload.
      const again = await mount(page, { server: configured, site: 'held' });
      await waitUntil(() => $(again, `#comment-${comment.id} [part~="pending-badge"]`), 'held comment lost on reload', { timeout: 5000 });
      expect(text($(again, `#comment-${comment.id} [part~="body"]`))).to.equal('Please approve me');
      // Another browser (no localStorage) does not.
      const saved = { ...localStorage };
      localStorage.clear();
      const stranger = await mount(page, { server: configured, site: 'held' });
      await loaded(stranger);
      expect($(stranger, `#comment-${comment.id}`)).to.be.null;
      Object.assign(localStorage, saved);

      // Its author may still take it back: then it is gone for good, also after a reload.
      const mine = await mount(page, { server: configured, site: 'held' });
      await waitUntil(() => $(mine, `#comment-${comment.id} [part~="delete-button"]`), 'no Delete on the held comment', { timeout: 5000 });
      $<HTMLButtonElement>(mine, `#comment-${comment.id} [part~="delete-button"]`)!.click();
      await confirmDelete(mine, comment.id);
      await waitUntil(() => !$(mine, `#comment-${comment.id}`), 'held comment not deleted', { timeout: 5000 });
      const after = await mount(page, { server: configured, site: 'held' });
      await loaded(after);
      expect($(after, `#comment-${comment.id}`)).to.be.null;
    });

    it('shows a held comment as an ordinary one once a moderator approves it (live, or on the next load), and forgets it locally', async () => {
      const page = uniquePage('approved');
      const stored = () => JSON.parse(localStorage.getItem(`parley:held:${configured}|held`) ?? '{}') as Record<string, unknown>;
      const approve = async (id: string) => {
        const response = await fetch(`${configured}/api/admin/comments/${id}/approve`, {
          method: 'POST',
          headers: { authorization: `Bearer ${configuredToken}` },
        });
        expect(response.status).to.equal(200);
      };
      const watch = watchEventSources();
      try {
        const el = await mount(page, { server: configured, site: 'held', live: true });
        await loaded(el);
        await openStream(watch.sources, page);
        const { comment: first } = await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'Approve me live');
        expect(stored()).to.have.property(first.id);

        // Approved while the page is open: the live stream turns it into an ordinary comment.
        await approve(first.id);
        await waitUntil(() => !$(el, `#comment-${first.id} [part~="pending-badge"]`), 'badge still shown', { timeout: 5000 });
        expect($(el, `#comment-${first.id} [part~="like-button"]`)).to.exist;
        expect(text($(el, '.count'))).to.equal('1 comment');
        expect(stored()).to.not.have.property(first.id);

        // Approved while the page is closed: the next load finds it in the public thread.
        const { comment: second } = await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'Approve me later');
        el.remove();
        await approve(second.id);
        expect(stored()).to.have.property(second.id);
        const again = await mount(page, { server: configured, site: 'held' });
        await waitUntil(() => $(again, `#comment-${second.id}`), 'approved comment not shown', { timeout: 5000 });
        expect($(again, `#comment-${second.id} [part~="pending-badge"]`)).to.be.null;
        expect(text($(again, '.count'))).to.equal('2 comments');
        expect(stored()).to.not.have.property(second.id);
      } finally {
        watch.restore();
      }
    });

    it('says when to try again after 429 (from Retry-After), in the page language, and keeps the text', async () => {
      const page = uniquePage('limited');
      // The site takes two comments an hour from one address: use them up.
      await post({ server: configured, site: 'limited', page, body: 'one' });
      await post({ server: configured, site: 'limited', page, body: 'two' });
      const el = await mount(page, { server: configured, site: 'limited' });
      await loaded(el);
      const form = $<HTMLFormElement>(el, 'form')!;
      fill(form, 'three');
      form.requestSubmit();
      await waitUntil(() => $(el, '[part~="form-error"]'), 'no error', { timeout: 5000 });
      const message = text($(el, '[part~="form-error"]'));
      const seconds = Number(/in ([\d,]+) seconds/.exec(message)?.[1]?.replace(',', ''));
      expect(message).to.equal(`You're posting too fast — please try again in ${seconds.toLocaleString('en')} seconds`);
      expect(seconds).to.be.within(3000, 3600);
      await waitUntil(() => status(el) === message, 'not announced');
      expect(form.querySelector('textarea')!.value).to.equal('three');

      const de = await mount(page, { server: configured, site: 'limited', lang: 'de' });
      await waitUntil(() => text($(de, 'h2')) === 'Schreiben Sie einen Kommentar', 'German not loaded', { timeout: 5000 });
      const formDe = $<HTMLFormElement>(de, 'form')!;
      fill(formDe, 'drei');
      formDe.requestSubmit();
      await waitUntil(() => $(de, '[part~="form-error"]'), 'no error', { timeout: 5000 });
      expect(text($(de, '[part~="form-error"]'))).to.match(/^Sie schreiben zu schnell — bitte versuchen Sie es in [\d.]+ Sekunden erneut$/);
      expect(formDe.querySelector('textarea')!.value).to.equal('drei');
    });

    it("reports other readers' comments with a reason from the schema; a second report says it was made already", async () => {
      const page = uniquePage('report');
      const rude = await post({ server: configured, site: 'default', page, body: 'Something rude', name: 'Troll' });
      const el = await mount(page, { server: configured, site: 'default' });
      await loaded(el);
      const { comment: mine } = await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'My own words');
      expect($(el, `#comment-${mine.id} [part~="report-button"]`)).to.be.null;

      const button = $<HTMLButtonElement>(el, `#comment-${rude.id} [part~="report-button"]`)!;
      expect(text(button)).to.equal('Report');
      expect(button.getAttribute('aria-expanded')).to.equal('false');
      // Cancel closes the form and gives focus back.
      button.click();
      await el.updateComplete;
      buttonNamed($(el, '[part~="report-form"]')!, 'Cancel').click();
      await el.updateComplete;
      expect($(el, '[part~="report-form"]')).to.be.null;
      expect(shadow(el).activeElement).to.equal(button);

      button.click();
      await el.updateComplete;
      expect(button.getAttribute('aria-expanded')).to.equal('true');
      const form = $<HTMLFormElement>(el, `#comment-${rude.id} [part~="report-form"]`)!;
      const select = form.querySelector('select')!;
      expect(shadow(el).activeElement).to.equal(select);
      expect([...select.options].map((option) => option.value)).to.deep.equal([...FLAG_REASONS]);
      for (const option of select.options) expect(option.textContent!.trim()).to.not.equal('');
      const detail = form.querySelector('textarea')!;
      expect(detail.maxLength).to.equal(FLAG_REASON_DETAIL_MAX_LENGTH);
      for (const field of [select, detail]) expect(form.querySelector(`label[for="${field.id}"]`)).to.exist;
      await expect(el).to.be.accessible();

      select.value = 'abuse';
      detail.value = 'Insults another reader';
      const calls = watchFetch('/flag');
      form.requestSubmit();
      const note = () => text($(el, `#comment-${rude.id} [part~="note"]`));
      await waitUntil(() => note(), 'no confirmation', { timeout: 5000 });
      calls.restore();
      expect(calls.calls.map((call) => call.body)).to.deep.equal([{ reason: 'abuse', detail: 'Insults another reader' }]);
      expect(note()).to.equal('Thanks — a moderator will take a look');
      expect($(el, '[part~="report-form"]')).to.be.null;
      expect(shadow(el).activeElement).to.equal(button);
      await waitUntil(() => status(el) === 'Thanks — a moderator will take a look', 'not announced');
      await expect(el).to.be.accessible();

      // The moderators see it in the flagged queue (one flag queues a comment on this site).
      const queue = await fetch(`${configured}/api/admin/flags?site=default`, { headers: { authorization: `Bearer ${configuredToken}` } });
      expect(queue.status).to.equal(200);
      expect(await queue.text()).to.include(rude.id);

      // The same address again: 409 already_flagged.
      button.click();
      await el.updateComplete;
      $<HTMLFormElement>(el, '[part~="report-form"]')!.requestSubmit();
      await waitUntil(() => note() === 'You already reported this comment', 'no "already reported"', { timeout: 5000 });
      expect($(el, '[part~="report-form"]')).to.be.null;
    });
  });

  describe('parts', () => {
    it('exposes the documented parts', async () => {
      const page = uniquePage('parts');
      const top = await post({ page, body: 'Parts' });
      await post({ page, body: 'reply', parentId: top.id });
      const el = await mount(page);
      await loaded(el);
      await postFromForm(el, $<HTMLFormElement>(el, 'form')!, 'mine');
      for (const part of [
        'heading', 'count', 'sort', 'comment', 'meta', 'avatar', 'author', 'permalink', 'time', 'body', 'actions',
        'like-button', 'reply-button', 'edit-button', 'delete-button', 'collapse-button', 'form', 'tab', 'textarea', 'submit',
      ]) {
        expect($(el, `[part~="${part}"]`), part).to.exist;
      }
    });
  });

  describe('security', () => {
    const PAYLOADS = [
      '<script>window.__xss = 1</script>',
      '<img src=x onerror="window.__xss = 2">',
      '<svg onload="window.__xss = 3">',
      '[click](javascript:window.__xss=4)',
      '[entity](&#106;avascript:window.__xss=5)',
      '[tab](java&#x09;script:window.__xss=6)',
      '[upper](JAVASCRIPT:window.__xss=7)',
      '<javascript:window.__xss=8>',
      '<a href="javascript:window.__xss=9">raw html link</a>',
      '[ref][r]\n\n[r]: javascript:window.__xss=10',
      '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTE8L3NjcmlwdD4=)',
      '![img](x" onerror="window.__xss=12)',
      '<div onmouseover="window.__xss=13">\n\n*html block*\n\n</div>',
      '<details open ontoggle="window.__xss=14">',
      '`<img src=x onerror="window.__xss=15">`',
      '```\n<script>window.__xss=16</script>\n```',
      '[x](https://ok.example/" onmouseover="window.__xss=17)',
      'www.example.com/<img src=x onerror=window.__xss=18>',
      '<style>*{background:url(javascript:window.__xss=19)}</style>',
      '> <iframe src="javascript:window.__xss=20"></iframe>',
    ];

    it('renders the XSS payload set posted through the real server inertly, with only allowlisted markup', async function () {
      this.timeout(30_000);
      const page = uniquePage('xss');
      for (const body of PAYLOADS) await post({ ...bulk, page, body, name: '<img src=y onerror="window.__xss=99">' });
      const el = await mount(page, bulk);
      await loaded(el);
      await waitUntil(() => $$(el, '[part~="body"]').length === PAYLOADS.length, 'not all shown', { timeout: 5000 });
      await handlersHadTheirChance();
      expect((window as { __xss?: unknown }).__xss).to.be.undefined;
      for (const body of $$(el, '[part~="body"]')) assertOnlyAllowlisted(body);
      for (const author of $$(el, '[part~="author"]')) expect(author.textContent).to.equal('<img src=y onerror="window.__xss=99">');
      // Nothing outside the widget's own template elements exists anywhere in the shadow DOM.
      const own = new Set(['section', 'h2', 'h3', 'form', 'div', 'label', 'span', 'input', 'p', 'button', 'textarea', 'ol', 'li', 'article', 'header', 'a', 'time', 'svg', 'rect', 'path', 'select', 'option']);
      for (const element of shadow(el).querySelectorAll('*')) {
        const tag = element.localName;
        expect(own.has(tag) || ['br', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul'].includes(tag), tag).to.be.true;
        for (const { name } of element.attributes) expect(name.startsWith('on'), `${tag}[${name}]`).to.be.false;
      }
      for (const link of shadow(el).querySelectorAll<HTMLAnchorElement>('[part~="body"] a[href]')) expect(link.protocol).to.match(/^(https?|mailto):$/);
    });
  });
});
