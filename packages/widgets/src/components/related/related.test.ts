import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { ArticleInput } from '@parley/schema';
import '../../embed.ts';
import type { ParleyRelated } from './related.ts';
import { deadServer, seedArticles, server, shadow, uniqueSite } from '../../test/support.ts';

const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => shadow(el).querySelector<T>(selector);
const $$ = (el: Element, selector: string) => [...shadow(el).querySelectorAll<HTMLElement>(selector)];

const garden = (slug: string, title: string, extra: Partial<ArticleInput> = {}): ArticleInput => ({
  url: `/articles/${slug}.html`,
  title,
  description: `All about ${title.toLowerCase()}.`,
  image: `/images/${slug}.jpg`,
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

const mount = (site: string, attrs: { limit?: number; page?: string; server?: string; heading?: string } = {}) =>
  fixture<ParleyRelated>(html`<parley-related
    site=${site}
    page=${attrs.page ?? '/articles/current.html'}
    server=${attrs.server ?? server}
    limit=${attrs.limit ?? 4}
    heading=${attrs.heading ?? ''}
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
        expect(image.getAttribute('src')).to.match(/^\/images\/[a-z]+\.jpg$/);
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

    it('uses the heading attribute', async () => {
      const el = await mount(site, { heading: 'Read next' });
      expect($(el, 'h2')!.textContent).to.equal('Read next');
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
