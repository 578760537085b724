import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import type { ParleyComments } from './comments.ts';
import { configured, deadServer, server, shadow, uniquePage, uniqueSite } from '../../test/support.ts';
import { $, loaded, mount, post, text, wakeWriter, watchWarnings } from './comments-fixtures.ts';

/** Far enough down that a lazy element is nowhere near the viewport (it loads within 400 px). */
const SPACER = '<div style="height: 5000px"></div>';

beforeEach(() => {
  for (const key of Object.keys(localStorage)) if (key.startsWith('parley:')) localStorage.removeItem(key);
});
afterEach(() => {
  history.replaceState(null, '', location.pathname + location.search);
  window.scrollTo(0, 0);
});

describe('<parley-comments> reading', () => {
  describe('permalinks with lazy loading', () => {
    it('loads the thread for a #comment-ID in the address and scrolls to it, without the reader scrolling', async () => {
      const site = uniqueSite();
      const page = uniquePage('lazy-permalink');
      const comment = await post({ site, page, body: 'Linked to' });
      history.replaceState(null, '', `#comment-${comment.id}`);
      const watch = watchWarnings();
      let el: ParleyComments;
      try {
        el = await mount({ site, page, loading: 'lazy' }, SPACER);
        await waitUntil(() => $(el, `#comment-${comment.id}.highlighted`), 'the permalinked comment was not loaded and highlighted', { timeout: 5000 });
        await el.updateComplete;
      } finally {
        watch.restore();
      }
      // Lit's dev build warns when an update sets state after rendering (a second render for nothing).
      expect(watch.warnings.filter((line) => line.includes('scheduled an update'))).to.deep.equal([]);
      const article = $(el, `#comment-${comment.id}`)!;
      await waitUntil(() => {
        const box = article.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= innerHeight;
      }, 'not scrolled into view');
      expect(shadow(el).activeElement).to.equal(article);
    });

    it('follows a hashchange to a comment of a lazy element that has not loaded yet', async () => {
      const site = uniqueSite();
      const page = uniquePage('lazy-hashchange');
      const comment = await post({ site, page, body: 'Linked later' });
      const el = await mount({ site, page, loading: 'lazy' }, SPACER);
      expect($(el, '.loading'), 'still waiting to come into view').to.exist;
      location.hash = `#comment-${comment.id}`;
      await waitUntil(() => $(el, `#comment-${comment.id}.highlighted`), 'hashchange did not load the thread', { timeout: 5000 });
      expect(scrollY).to.be.above(4000);
    });
  });

  describe('load errors say what is wrong', () => {
    it("shows and logs the server's reason when a sites file does not list the element's site", async () => {
      const watch = watchWarnings();
      try {
        // A typo in `site` says so (the thread's 404 site_not_found), not an empty thread nobody can post to.
        const el = await mount({ site: 'no-such-site', page: uniquePage('unknown-site'), server: configured });
        await waitUntil(() => $(el, '[part~="error"]'), 'no error state', { timeout: 5000 });
        expect(text($(el, '[part~="error"]'))).to.contain('Unknown site "no-such-site"');
        await waitUntil(() => watch.warnings.some((line) => line.includes('404 site_not_found')), 'nothing in the console');
        const line = watch.warnings.find((warning) => warning.includes('404 site_not_found'))!;
        expect(line).to.contain('site=no-such-site');
        expect(line).to.contain('Unknown site "no-such-site"');
      } finally {
        watch.restore();
      }
    });

    it('says the server could not be reached, and hints at CORS in the console, when no answer comes', async () => {
      const watch = watchWarnings();
      try {
        const el = await mount({ site: uniqueSite(), page: uniquePage('unreachable'), server: deadServer });
        await waitUntil(() => $(el, '[part~="error"]'), 'no error state', { timeout: 5000 });
        expect(text($(el, '[part~="error-detail"]'))).to.equal('The comments server could not be reached.');
        await waitUntil(() => watch.warnings.length > 0, 'nothing in the console');
        expect(watch.warnings[0]).to.match(/no readable answer.*CORS/);
      } finally {
        watch.restore();
      }
    });
  });

  describe('text direction', () => {
    it('gives comment bodies and author names dir="auto", so right-to-left text reads right to left', async () => {
      const site = uniqueSite();
      const page = uniquePage('rtl-text');
      const comment = await post({ site, page, body: 'שלום עולם, זו תגובה' });
      const el = await mount({ site, page });
      await loaded(el);
      const body = $(el, `#comment-${comment.id} [part~="body"]`)!;
      expect(body.getAttribute('dir')).to.equal('auto');
      expect(getComputedStyle(body.querySelector('p')!).direction).to.equal('rtl');
      expect($(el, `#comment-${comment.id} [part~="author"]`)!.getAttribute('dir')).to.equal('auto');
    });
  });

  describe('a server-rendered first page', () => {
    /** The element as `GET /render/comments` draws it: the first page in a JSON child, `readWith` its attribute's value. */
    async function rendered(site: string, page: string, readWith: string): Promise<ParleyComments> {
      const thread = await (await fetch(`${server}/api/comments?site=${site}&page=${encodeURIComponent(page)}&avatars=gravatar`)).json();
      // Marked, so the test can tell the taken-over page from one fetched again.
      thread.comments[0].html = '<p>As the server drew it</p>';
      const el = document.createElement('parley-comments');
      Object.assign(el, { server, site, page, loading: 'eager', noLive: true, avatars: 'gravatar' });
      const script = Object.assign(document.createElement('script'), { type: 'application/json', textContent: JSON.stringify(thread) });
      script.setAttribute('data-parley-first-page', readWith);
      el.append(script);
      (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
      await loaded(el);
      return el;
    }

    it('is taken over as it is when it was read with the same avatars, and fetched again when not', async () => {
      const site = uniqueSite();
      const page = uniquePage('ssr-avatars');
      await post({ site, page, body: 'As the API has it' });
      expect(text($(await rendered(site, page, 'gravatar'), '[part~="body"]'))).to.equal('As the server drew it');
      expect(text($(await rendered(site, page, ''), '[part~="body"]'))).to.equal('As the API has it');
    });

    it('keeps the server-rendered form on screen, slotted, until the writing tools take over; what was typed in it goes to them', async () => {
      const el = document.createElement('parley-comments');
      Object.assign(el, { server, site: uniqueSite(), page: uniquePage('ssr-form'), loading: 'eager', noLive: true });
      // The server's form, as GET /render/comments draws it (its fields come with no writing tools).
      el.innerHTML = `<section><form method="post" action="/nowhere"><textarea name="body"></textarea>
        <input id="ssr-name" name="name"><input name="email" type="email"><label><input type="checkbox" name="remember"> Remember me</label>
        <button type="submit">Post</button></form></section>`;
      (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
      await el.updateComplete;
      const name = el.querySelector<HTMLInputElement>('#ssr-name')!;
      expect(name.getBoundingClientRect().height, 'the name field is drawn after hydration').to.be.above(0);
      expect(name.form!.assignedSlot, 'shown through the shadow root').to.exist;
      // The reader types a name before the writing tools have loaded: focusing it sends for them.
      name.focus();
      name.value = 'Noor';
      el.querySelector<HTMLInputElement>('input[name="remember"]')!.checked = true;
      await waitUntil(() => $(el, 'form .trap'), 'the writing tools did not load', { timeout: 5000 });
      expect($<HTMLInputElement>(el, 'form input[name="name"]')!.value).to.equal('Noor');
      expect($<HTMLInputElement>(el, 'form input[name="remember"]')!.checked).to.be.true;
      expect(shadow(el).activeElement, 'the focus moved with the text').to.equal($(el, 'form input[name="name"]'));
      expect(el.querySelector('form'), "the server's form is gone").to.be.null;
    });
  });

  describe('empty state', () => {
    it("does not show the reader's own comment that waits for approval under \"No comments\"", async () => {
      const el = await mount({ site: 'held', page: uniquePage('held-empty'), server: configured });
      await loaded(el);
      expect($(el, '.empty')).to.exist;
      const form = await wakeWriter(el);
      form.querySelector('textarea')!.value = 'Mine, waiting';
      const posted = oneEvent(el, 'parley-comment-posted');
      form.requestSubmit();
      const { comment } = (await posted) as unknown as ParleyCommentPostedEvent;
      await waitUntil(() => $(el, `#comment-${comment.id}`), 'own comment not shown');
      expect($(el, '.empty')).to.be.null;
      expect(text($(el, '[part~="count"]'))).to.equal('1 comment waiting for approval');
      expect(text(shadow(el) as unknown as Element)).to.not.contain('No comments');
    });
  });
});
