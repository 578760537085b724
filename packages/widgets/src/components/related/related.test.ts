import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ArticleInput } from '@parley/schema';
import '../../embed.ts';
import type { ParleyRelated } from './related.ts';
import { balancedColumns } from './columns.ts';
import { deadServer, postComment, seedArticles, server, shadow, uniqueSite } from '../../test/support.ts';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => shadow(el).querySelector<T>(selector);
const $$ = (el: Element, selector: string) => [...shadow(el).querySelectorAll<HTMLElement>(selector)];

/** A real image (the dev server serves the repository), and one that is not there. */
const IMAGE = '/examples/news-site/site/images/community-orchard.svg';
const MISSING_IMAGE = '/examples/news-site/site/images/no-such-image.jpg';

const garden = (slug: string, title: string, extra: Partial<ArticleInput> = {}): ArticleInput => ({
  url: `/articles/${slug}.html`,
  title,
  description: `All about ${title.toLowerCase()}.`,
  image: `${IMAGE}?${slug}`,
  section: 'Garden',
  tags: ['garden', 'tomatoes', 'balcony'],
  body: `Tomatoes on a balcony garden: soil, pots, watering and sun for ${title}.`,
  publishedAt: '2024-05-01T10:00:00Z',
  ...extra,
});

async function seededSite(): Promise<string> {
  const site = uniqueSite();
  await seedArticles(site, [
    garden('current', 'Tomatoes on the balcony'),
    garden('pots', 'Choosing pots for tomatoes'),
    garden('watering', 'Watering tomatoes in summer'),
    garden('soil', 'Balcony soil for tomatoes', { image: undefined }),
    garden('sun', 'Sun on a balcony garden'),
    garden('seeds', 'Saving tomato seeds'),
  ]);
  return site;
}

const mount = (site: string, attrs: { limit?: number; page?: string; server?: string; heading?: string; layout?: 'grid' | 'list'; noImages?: boolean } = {}) =>
  fixture<ParleyRelated>(html`<parley-related
    site=${site}
    page=${attrs.page ?? '/articles/current.html'}
    server=${attrs.server ?? server}
    limit=${attrs.limit ?? 4}
    heading=${attrs.heading ?? ''}
    layout=${attrs.layout ?? 'grid'}
    ?no-images=${attrs.noImages ?? false}
    loading="eager"
  ></parley-related>`);

const settled = (el: ParleyRelated) => waitUntil(() => el.status === 'complete' || el.status === 'error', 'did not settle', { timeout: 5000 });

describe('<parley-related>', () => {
  let site: string;
  before(async () => {
    site = await seededSite();
  });

  describe('accessibility', () => {
    it('passes axe with cards', async () => {
      const el = await mount(site);
      await settled(el);
      await expect(el).to.be.accessible();
      const section = $(el, 'section')!;
      expect($(el, `#${section.getAttribute('aria-labelledby')}`)!.textContent).to.equal('You may also like');
    });
  });

  describe('cards', () => {
    it('shows linked cards with images, titles and descriptions, without the current page', async () => {
      const el = await mount(site);
      expect($(el, 'section')!.getAttribute('aria-busy')).to.equal('true');
      await settled(el);
      const cards = $$(el, '[part~="card"]');
      expect(cards).to.have.length(4);
      const titles = cards.map((card) => card.querySelector('[part~="title"]')!.textContent);
      expect(titles).to.not.include('Tomatoes on the balcony');
      for (const card of cards) {
        const link = card.querySelector<HTMLAnchorElement>('a')!;
        expect(link.getAttribute('href')).to.match(/^\/articles\/[a-z]+\.html$/);
        expect(link.textContent).to.include(card.querySelector('[part~="title"]')!.textContent!);
      }
      const images = $$(el, 'img[part~="image"]') as HTMLImageElement[];
      expect(images.length).to.be.greaterThan(0);
      for (const image of images) {
        expect(image.getAttribute('src')).to.match(/^\/examples\/.+\.svg\?[a-z]+$/);
        expect(image.alt).to.equal('');
        expect(image.loading).to.equal('lazy');
        expect(image.getAttribute('width')).to.equal('400');
        expect(image.getAttribute('height')).to.equal('225');
      }
      expect($(el, '[part~="description"]')!.textContent).to.match(/^All about /);
      expect($(el, 'section')!.getAttribute('aria-busy')).to.equal('false');
    });

    it('respects limit', async () => {
      const el = await mount(site, { limit: 2 });
      await settled(el);
      expect($$(el, '[part~="card"]')).to.have.length(2);
      el.limit = 3;
      await waitUntil(() => $$(el, '[part~="card"]').length === 3, 'did not refetch with the new limit', { timeout: 5000 });
    });

    it('shows each card\'s section and publication date in a <time>', async () => {
      const el = await mount(site);
      await settled(el);
      const card = $$(el, '[part~="card"]')[0]!;
      expect(card.querySelector('[part~="section"]')!.textContent).to.equal('Garden');
      const time = card.querySelector('time')!;
      expect(time.getAttribute('datetime')).to.equal('2024-05-01T10:00:00.000Z');
      expect(time.textContent).to.match(/2024/);
    });

    it('no-images hides images and placeholders; layout="list" stacks the cards in one column', async () => {
      const el = await mount(site, { noImages: true, layout: 'list' });
      await settled(el);
      expect($$(el, '[part~="card"]')).to.have.length(4);
      expect($$(el, '[part~="image"]')).to.have.length(0);
      const cards = $$(el, '[part~="card"]');
      expect(cards[0]!.getBoundingClientRect().left).to.equal(cards[1]!.getBoundingClientRect().left);
      expect(cards[1]!.getBoundingClientRect().top).to.be.greaterThan(cards[0]!.getBoundingClientRect().bottom - 1);
      await expect(el).to.be.accessible();
    });

    it('shows the comment count the server reports', async () => {
      const commented = uniqueSite();
      await seedArticles(commented, [garden('current', 'Tomatoes on the balcony'), garden('pots', 'Choosing pots for tomatoes')]);
      await postComment({ site: commented, page: '/articles/pots.html', body: 'First comment' });
      await postComment({ site: commented, page: '/articles/pots.html', body: 'Second comment' });
      const el = await mount(commented);
      await settled(el);
      expect($(el, '[part~="meta"] .comments')!.textContent).to.equal('2 comments');
    });

    it('counts a click with a cookie-less beacon to /api/related/click', async () => {
      const el = await mount(site);
      await settled(el);
      const sent: { url: string; body: string }[] = [];
      const original = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url: string | URL, body?: BodyInit | null) => {
        sent.push({ url: String(url), body: String(body) });
        return original(url, body);
      };
      try {
        const link = $(el, '[part~="link"]') as HTMLAnchorElement;
        link.addEventListener('click', (event) => event.preventDefault(), { once: true });
        link.click();
      } finally {
        navigator.sendBeacon = original;
      }
      expect(sent).to.have.length(1);
      expect(sent[0]!.url).to.equal(`${server}/api/related/click`);
      const body = JSON.parse(sent[0]!.body) as { site: string; page: string; target: string };
      expect(body.site).to.equal(site);
      expect(body.page).to.equal('/articles/current.html');
      expect(body.target).to.match(/^\/articles\/[a-z]+\.html$/);
    });

    it('uses the heading attribute', async () => {
      const el = await mount(site, { heading: 'Read next' });
      expect($(el, 'h2')!.textContent).to.equal('Read next');
    });
  });

  describe('what a reader sees', () => {
    const mountIn = async (site: string, wrapper: string) => {
      const host = await fixture<HTMLElement>(wrapper);
      const el = document.createElement('parley-related') as ParleyRelated;
      Object.assign(el, { site, page: '/articles/current.html', server, loading: 'eager', limit: 4 });
      host.append(el);
      await settled(el);
      return el;
    };

    it('a broken image falls back to the placeholder, not the broken-image icon', async () => {
      const broken = uniqueSite();
      await seedArticles(broken, [garden('current', 'Tomatoes on the balcony'), garden('pots', 'Choosing pots for tomatoes', { image: MISSING_IMAGE })]);
      const el = await mount(broken);
      await settled(el);
      await waitUntil(() => $$(el, '.image.fallback').length === 1, 'the broken image was not replaced', { timeout: 5000 });
      expect($$(el, 'img')).to.have.length(0);
    });

    it('cards without images have no image blocks at all', async () => {
      const plain = uniqueSite();
      await seedArticles(plain, ['current', 'pots', 'soil'].map((slug) => garden(slug, `Tomatoes ${slug}`, { image: undefined })));
      const el = await mount(plain);
      await settled(el);
      expect($$(el, '[part~="card"]')).to.have.length(2);
      expect($$(el, '[part~="image"]')).to.have.length(0);
    });

    it('dates follow the page language (en-GB: 1 May 2024)', async () => {
      const el = await mountIn(site, '<div lang="en-GB"></div>');
      expect($(el, 'time')!.textContent).to.equal('1 May 2024');
    });

    it('an RTL page gets the cards right to left', async () => {
      const el = await mountIn(site, '<div dir="rtl" style="width: 900px"></div>');
      expect($(el, 'section')!.getAttribute('dir')).to.equal('rtl');
      const [first, second] = $$(el, '[part~="card"]').map((card) => card.getBoundingClientRect());
      expect(first!.left).to.be.greaterThan(second!.left);
    });

    it('four cards where three columns fit make two rows of two, not three and one', async () => {
      const el = await mountIn(site, '<div style="width: 760px"></div>');
      await waitUntil(() => {
        const [a, b, c] = $$(el, '[part~="card"]').map((card) => card.getBoundingClientRect());
        return a!.top === b!.top && c!.top > a!.top && c!.left === a!.left;
      }, 'cards not in two rows of two', { timeout: 5000 });
      expect(balancedColumns(4, 3)).to.equal(2);
      expect(balancedColumns(5, 4)).to.equal(3);
      expect(balancedColumns(3, 3)).to.equal(3);
      expect(balancedColumns(7, 3)).to.equal(3);
    });

    it('clamps long titles to three lines and leaves room below the box', async () => {
      const long = uniqueSite();
      const title = 'A very long headline about tomatoes on a balcony garden that goes on and on '.repeat(3);
      await seedArticles(long, [garden('current', 'Tomatoes on the balcony'), garden('pots', title)]);
      const el = await mountIn(long, '<div style="width: 300px"></div>');
      const heading = $(el, '[part~="title"]')!;
      const lineHeight = parseFloat(getComputedStyle(heading).lineHeight);
      expect(heading.getBoundingClientRect().height).to.be.at.most(lineHeight * 3 + 1);
      expect(parseFloat(getComputedStyle(el).marginBottom)).to.be.at.least(32);
    });

    it('reports the cards seen in one batched beacon with their positions, and the position of a click', async () => {
      const sent: { url: string; body: string }[] = [];
      const original = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url: string | URL, body?: BodyInit | null) => {
        sent.push({ url: String(url), body: String(body) });
        return true;
      };
      try {
        const el = await mount(site);
        await settled(el);
        await waitUntil(() => sent.some((beacon) => beacon.url.endsWith('/api/related/impressions')), 'no impressions beacon', { timeout: 5000 });
        const impressions = sent.filter((beacon) => beacon.url === `${server}/api/related/impressions`);
        expect(impressions).to.have.length(1);
        const body = JSON.parse(impressions[0]!.body) as { site: string; page: string; seen: { target: string; position: number }[] };
        expect(body.site).to.equal(site);
        expect(body.page).to.equal('/articles/current.html');
        const cards = $$(el, '[part~="card"]');
        expect(body.seen.map((card) => card.position).sort()).to.deep.equal(cards.map((_, i) => i));
        expect(body.seen.find((card) => card.position === 1)!.target).to.equal(cards[1]!.querySelector('a')!.getAttribute('href'));

        const link = cards[2]!.querySelector('a')!;
        link.addEventListener('click', (event) => event.preventDefault(), { once: true });
        link.click();
        const click = JSON.parse(sent.find((beacon) => beacon.url.endsWith('/api/related/click'))!.body) as { position: number };
        expect(click.position).to.equal(2);
      } finally {
        navigator.sendBeacon = original;
      }
    });
  });

  describe('states', () => {
    it('renders nothing for a site without articles', async () => {
      const el = await mount(uniqueSite());
      await settled(el);
      expect(el.status).to.equal('complete');
      expect(shadow(el).querySelector('section')).to.be.null;
    });

    it('shows an error with Retry when the server is down', async () => {
      const el = await mount(site, { server: deadServer });
      await settled(el);
      expect(el.status).to.equal('error');
      expect($(el, '[part~="error"] .error')!.textContent).to.equal('Related articles could not be loaded.');
      expect($(el, '[part~="error"] button')!.textContent!.trim()).to.equal('Retry');
      el.server = server;
      await waitUntil(() => $$(el, '[part~="card"]').length === 4, 'did not recover', { timeout: 5000 });
    });
  });

  describe('auto-discovery', () => {
    const added: Element[] = [];
    let title: string;
    let sent: { url: string; body: string }[];
    let original: Navigator['sendBeacon'];

    const addToHead = (tag: 'link' | 'meta', attributes: Record<string, string>) => {
      const element = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
      document.head.append(element);
      added.push(element);
    };
    const mountDiscovering = (attrs: { discover: boolean }) =>
      fixture<ParleyRelated>(html`<parley-related site=${site} page="/articles/current.html" server=${server} ?discover=${attrs.discover}></parley-related>`);
    /**
     * The beacons sent before a marker: an element of another site mounted now reports at once, and
     * an element mounted earlier decided before it did (the same chunk import, resolved in order).
     * So "nothing more was sent" is read once the marker's beacon is there, not after a delay.
     */
    const sentBeforeMarker = async () => {
      await fixture(html`<parley-related site="discovery-marker" page="/articles/current.html" server=${server} discover></parley-related>`);
      const isMarker = (beacon: { body: string }) => (JSON.parse(beacon.body) as { site: string }).site === 'discovery-marker';
      await waitUntil(() => sent.some(isMarker), 'the marker beacon', { timeout: 5000 });
      return sent.slice(0, sent.findIndex(isMarker));
    };

    beforeEach(() => {
      title = document.title;
      sessionStorage.clear();
      sent = [];
      original = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url: string | URL, body?: BodyInit | null) => {
        sent.push({ url: String(url), body: String(body) });
        return original(url, body);
      };
    });
    afterEach(() => {
      navigator.sendBeacon = original;
      for (const element of added.splice(0)) element.remove();
      document.title = title;
    });

    it('reports the <head> metadata once per page per session, in the shape the server accepts', async () => {
      document.title = 'Fallback title | The Daily';
      addToHead('link', { rel: 'canonical', href: '/articles/discovered.html#comments' });
      addToHead('meta', { property: 'og:title', content: '  Wildflower   meadows on the roof ' });
      addToHead('meta', { property: 'og:description', content: 'Bees and poppies above the ferry.' });
      addToHead('meta', { name: 'description', content: 'Not this one.' });
      addToHead('meta', { property: 'og:image', content: '/images/meadow.jpg' });
      for (const tag of ['gardening', 'pollinators', 'gardening', 'x'.repeat(80)]) addToHead('meta', { property: 'article:tag', content: tag });
      addToHead('meta', { property: 'article:section', content: 'Green City' });
      addToHead('meta', { property: 'article:published_time', content: '2025-06-14T07:30:00+01:00' });

      await mountDiscovering({ discover: true });
      await waitUntil(() => sent.length === 1, 'no beacon', { timeout: 2000 });
      expect(sent[0]!.url).to.equal(`${server}/api/articles/discover`);
      const body = JSON.parse(sent[0]!.body) as Record<string, unknown>;
      expect(body).to.deep.equal({
        site,
        url: `${location.origin}/articles/discovered.html`,
        title: 'Wildflower meadows on the roof',
        description: 'Bees and poppies above the ferry.',
        image: `${location.origin}/images/meadow.jpg`,
        tags: ['gardening', 'pollinators', 'x'.repeat(60)],
        section: 'Green City',
        publishedAt: '2025-06-14T06:30:00.000Z',
      });

      // A second element, a reload of the same page in this session: nothing more is sent.
      await mountDiscovering({ discover: true });
      expect(await sentBeforeMarker()).to.have.length(1);

      // The real server validates the payload and checks this origin; only its site policy refuses it
      // (this test server has no sites file, so no site has discovery on).
      const response = await fetch(`${server}/api/articles/discover`, { method: 'POST', body: sent[0]!.body, credentials: 'omit' });
      expect(response.status).to.equal(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('forbidden');
    });

    it('falls back to <title>, the meta description and the location', async () => {
      document.title = 'Only a title';
      addToHead('meta', { name: 'description', content: 'Plain description.' });
      addToHead('meta', { property: 'og:image', content: 'data:image/png;base64,AAAA' });
      addToHead('meta', { property: 'article:published_time', content: 'last Tuesday' });
      await mountDiscovering({ discover: true });
      await waitUntil(() => sent.length === 1, 'no beacon', { timeout: 2000 });
      expect(JSON.parse(sent[0]!.body)).to.deep.equal({
        site,
        url: `${location.origin}${location.pathname}`,
        title: 'Only a title',
        description: 'Plain description.',
      });
    });

    it('sends nothing without the discover attribute', async () => {
      addToHead('meta', { property: 'og:title', content: 'Not reported' });
      const el = await mountDiscovering({ discover: false });
      el.loading = 'eager';
      await settled(el);
      expect((await sentBeforeMarker()).filter((beacon) => beacon.url.endsWith('/api/articles/discover'))).to.have.length(0);
    });
  });

  describe('parts', () => {
    it('exposes the documented parts', async () => {
      const el = await mount(site);
      await settled(el);
      for (const part of ['heading', 'list', 'card', 'link', 'image', 'section', 'title', 'description']) {
        expect($(el, `[part~="${part}"]`), part).to.exist;
      }
    });
  });
});

describe('safeUrl (issue 14: phishing cards)', () => {
  it('drops links and images that a browser resolves to another host, keeps the site\'s own', async () => {
    const { safeUrl } = await import('./related.ts');
    for (const trick of ['/\\evil.example/phish', '/\t/evil.example/x', '//evil.example', '/\\/evil.example', 'javascript:alert(1)', 'https://evil.example/a']) {
      expect(safeUrl(trick), JSON.stringify(trick)).to.equal(undefined);
    }
    for (const trick of ['/\\evil.example/i.jpg', '/\t/evil.example/i.jpg', '//evil.example/i.jpg', 'data:image/png;base64,AAAA']) {
      expect(safeUrl(trick, 'image'), JSON.stringify(trick)).to.equal(undefined);
    }
    expect(safeUrl('/articles/a.html')).to.equal('/articles/a.html');
    expect(safeUrl(`${location.origin}/articles/a.html`)).to.equal(`${location.origin}/articles/a.html`);
    // Images may live on a CDN when the URL says so plainly.
    expect(safeUrl('https://cdn.example/i.jpg', 'image')).to.equal('https://cdn.example/i.jpg');
  });
});
