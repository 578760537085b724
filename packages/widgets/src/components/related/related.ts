import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { Task, TaskStatus, initialState } from '../../controllers/load-task.ts';
import type { RelatedArticle, RelatedResponse } from '@parley/schema';
import {
  ARTICLE_DESCRIPTION_MAX_LENGTH,
  ARTICLE_TAG_MAX_LENGTH,
  ARTICLE_TAGS_MAX,
  ARTICLE_TITLE_MAX_LENGTH,
  DEFAULT_SITE,
  RELATED_LIMIT_DEFAULT,
  RELATED_LIMIT_MAX,
} from '@parley/schema/limits';
import { request } from '../../controllers/api-client.ts';
import { InViewportController } from '../../controllers/in-viewport.ts';
import { pageIdentity } from '../../controllers/page-identity.ts';
import { serverOrigin } from '../../controllers/server-origin.ts';
import { takeServerRendered } from '../../controllers/server-rendered.ts';
import { completeEnglishRelated } from '../../i18n/en-related.ts';
import { languageOf, localize, type Translation } from '../../i18n/localize.ts';
import { hostStyles } from '../../styles/tokens.ts';
import type { SeenCard } from './card-watch.ts';

import { styles } from './related.styles.ts';

// English's related-list strings come with this chunk, not with the comments page's first load.
completeEnglishRelated();

/** Only http(s) URLs and root-relative paths become links or images. */
/**
 * A card's link or image, judged as the browser will resolve it (WHATWG URL parser, against the
 * document's base): a path must stay on this page's origin (`//evil.example`, `/\\evil.example/x`,
 * `/<TAB>/evil.example/x` resolve elsewhere and are dropped); an absolute `url` must be on this
 * origin too (the cards are "more from this site"); an absolute `image` may be any http(s) host.
 * The server applies the same rule when it stores articles.
 */
export function safeUrl(url: string | null, kind: 'url' | 'image' = 'url'): string | undefined {
  if (!url) return undefined;
  let resolved: URL;
  try {
    resolved = new URL(url, document.baseURI);
  } catch {
    return undefined;
  }
  if (resolved.protocol !== 'https:' && resolved.protocol !== 'http:') return undefined;
  const absolute = /^https?:\/\//i.test(url);
  if ((!absolute || kind === 'url') && resolved.origin !== location.origin) return undefined;
  return url;
}

/**
 * "You may also like": articles of the same site related to this page, as a grid of cards.
 * Renders nothing when the server knows no related articles.
 *
 * With `discover` (and `discovery: true` for the site on the server), it also reports this page's
 * metadata from `<head>` — canonical URL, title, description, `og:image`, `article:tag`,
 * `article:section`, `article:published_time` — once per page per browser session, so the site's
 * articles need not be imported first. The server stores it and never fetches the page.
 *
 * @summary Related articles from the same site, as linked cards.
 *
 * @csspart heading - The section heading.
 * @csspart list - The `<ul>` of cards.
 * @csspart card - Each card (`<li>`).
 * @csspart link - The link covering a card.
 * @csspart image - A card's image (or its placeholder when the article has none).
 * @csspart section - A card's section label.
 * @csspart title - A card's title.
 * @csspart description - A card's description.
 * @csspart meta - A card's date and comment count.
 * @csspart error - The load-error box with its Retry button.
 *
 * @cssproperty --parley-font - Font family.
 * @cssproperty --parley-color-text - Text colour.
 * @cssproperty --parley-color-muted - Description and section colour.
 * @cssproperty --parley-color-accent - Link hover and focus colour.
 * @cssproperty --parley-color-surface - Card background.
 * @cssproperty --parley-color-border - Card border.
 * @cssproperty --parley-radius - Card corner radius.
 * @cssproperty --parley-space - Base spacing unit.
 * @cssproperty --parley-card-min-width - Narrowest a card gets before the grid drops a column (default 13rem).
 */
export class ParleyRelated extends LitElement {
  static override styles = [hostStyles, styles];

  /**
   * The reactive properties (`state`: internal) of the fields below: a table, not decorators,
   * whose compiled helper would be part of the first load.
   */
  static override properties = {
    page: {},
    site: {},
    server: {},
    heading: {},
    limit: { type: Number },
    layout: { reflect: true },
    noImages: { type: Boolean, reflect: true, attribute: 'no-images' },
    loading: {},
    theme: { reflect: true },
    discover: { type: Boolean },
  };

  readonly #viewport = new InViewportController(this);

  readonly #task = new Task(this, {
    task: async ([server, site, page, limit, visible], { signal }) => {
      if (!visible) return initialState;
      const rendered = takeServerRendered<RelatedResponse & { limit: number }>(this, 'data-parley-related', (r) => r.site === site && r.page === page && r.limit === limit);
      return (rendered ?? (await request(server, 'GET /api/related', { query: { site, page, limit }, signal }))).items;
    },
    args: () =>
      [
        serverOrigin(this.server),
        this.site || DEFAULT_SITE,
        pageIdentity(this.page),
        this.#clampedLimit,
        this.loading === 'eager' || this.#viewport.visible,
      ] as const,
  });

  /** Image URLs that failed to load: their cards show the placeholder instead of a broken image. */
  readonly #brokenImages = new Set<string>();
  /** The list of cards being watched (impressions, row balance), and how to stop watching it. */
  #watched: unknown;
  #unwatch?: () => void;

  /** The page to find related articles for; defaults to the canonical link's path, else `location.pathname`. */
  page = '';
  /** The site id configured on the server. */
  site = '';
  /** The Parley server's base URL; defaults to the origin `embed.js` was loaded from. */
  server = '';
  /** The section's heading text; defaults to "You may also like" in the page's language. */
  heading = '';
  /** How many cards to show at most (1–20). */
  limit = RELATED_LIMIT_DEFAULT;
  /** `grid` lays cards out in columns; `list` stacks them with a small image beside the text. */
  layout: 'grid' | 'list' = 'grid';
  /** Hides the cards' images (and their placeholders). */
  noImages = false;
  /** `lazy` loads when the element nears the viewport; `eager` loads at once. */
  loading: 'lazy' | 'eager' = 'lazy';
  /** `light`, `dark`, or `auto` (follows the reader's colour scheme). */
  theme: 'light' | 'dark' | 'auto' = 'auto';
  /** Reports this page's `<head>` metadata to the server (auto-discovery; the site must allow it). */
  discover = false;

  /** `initial`, `pending`, `complete` or `error`. */
  get status(): 'initial' | 'pending' | 'complete' | 'error' {
    return (['initial', 'pending', 'complete', 'error'] as const)[this.#task.status];
  }

  /** Loads the related articles again. */
  reload(): Promise<void> {
    this.#viewport.visible = true;
    return this.#task.run();
  }

  protected override firstUpdated(): void {
    if (this.discover) void this.#reportPage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unwatch?.();
    this.#unwatch = undefined;
    this.#watched = undefined;
  }

  protected override updated(): void {
    const list = this.renderRoot.querySelector<HTMLElement>('ul[part="list"]');
    if (!list || this.#watched === this.#task.value || typeof IntersectionObserver === 'undefined') return;
    const items = (this.#watched = this.#task.value);
    // A new list of cards: watch it (its own chunk, fetched after the cards are shown).
    void import('./card-watch.ts').then(({ watchCards }) => {
      if (this.#watched !== items || !list.isConnected) return;
      this.#unwatch?.();
      this.#unwatch = watchCards(list, (seen) => this.#beacon('/api/related/impressions', { seen }));
    });
  }

  get #clampedLimit(): number {
    const limit = Math.trunc(Number(this.limit));
    return Number.isFinite(limit) ? Math.min(Math.max(limit, 1), RELATED_LIMIT_MAX) : RELATED_LIMIT_DEFAULT;
  }

  protected override render(): TemplateResult | typeof nothing {
    const t = localize(this);
    const status = this.#task.status;
    if (status === TaskStatus.COMPLETE && !this.#task.value?.length) return nothing;
    const busy = status === TaskStatus.INITIAL || status === TaskStatus.PENDING;
    // An RTL page lays the cards out right to left even when its language has no translation yet.
    const dir = this.closest('[dir]')?.getAttribute('dir') === 'rtl' ? 'rtl' : t.$dir;
    return html`<section aria-labelledby="heading" aria-busy=${busy ? 'true' : 'false'} dir=${dir}>
      <h2 id="heading" part="heading">${this.heading || t.relatedHeading}</h2>
      ${this.#task.render({
        initial: () => this.#renderPlaceholders(t),
        pending: () => this.#renderPlaceholders(t),
        error: () => this.#renderError(t),
        complete: (items) => {
          // A card whose link would leave this site is never rendered (see safeUrl).
          const shown = items.filter((item) => safeUrl(item.url));
          // Image areas only when some card has an image: a box of text cards has no grey blocks.
          const withImages = !this.noImages && shown.some((item) => safeUrl(item.image, 'image'));
          return html`<ul part="list">${shown.map((item, position) => this.#renderCard(item, position, withImages, t))}</ul>`;
        },
      })}
    </section>`;
  }

  #renderPlaceholders(t: Translation): TemplateResult {
    return html`<p class="visually-hidden">${t.loading}</p>
      <ul aria-hidden="true">
        ${Array.from({ length: this.#clampedLimit }, () => html`<li class="card placeholder">${this.noImages ? nothing : html`<div class="image"></div>`}<span></span></li>`)}
      </ul>`;
  }

  #renderError(t: Translation): TemplateResult {
    return html`<div class="load-error" part="error">
      <p class="error">${t.loadRelatedError}</p>
      <button type="button" class="button secondary" @click=${() => this.reload()}>${t.retry}</button>
    </div>`;
  }

  #renderCard(item: RelatedArticle, position: number, withImages: boolean, t: Translation): TemplateResult {
    const image = safeUrl(item.image, 'image');
    const href = safeUrl(item.url);
    const published = item.publishedAt ? new Date(item.publishedAt) : undefined;
    return html`<li class="card" part="card" data-target=${item.url}>
      <a part="link" href=${href ?? nothing} @click=${() => this.#beacon('/api/related/click', { target: item.url, position })}>
        ${withImages ? this.#renderImage(image) : nothing}
        <span class="text">
          ${item.section ? html`<span part="section" class="section">${item.section}</span>` : nothing}
          <span part="title" class="title">${item.title}</span>
          ${item.description ? html`<span part="description" class="description">${item.description}</span>` : nothing}
          <span part="meta" class="meta">
            ${published ? html`<time datetime=${item.publishedAt!}>${this.#formatDate(published, t)}</time>` : nothing}
            ${item.commentCount > 0 ? html`<span class="comments">${t.commentCount(item.commentCount)}</span>` : nothing}
          </span>
        </span>
      </a>
    </li>`;
  }

  /** The image, or — when there is none or it fails to load — a tinted placeholder (never the broken-image icon). */
  #renderImage(image: string | undefined): TemplateResult {
    return image && !this.#brokenImages.has(image)
      ? html`<img part="image" class="image" src=${image} alt="" loading="lazy" decoding="async" width="400" height="225" @error=${() => {
          this.#brokenImages.add(image);
          this.requestUpdate();
        }} />`
      : html`<div part="image" class="image fallback" aria-hidden="true"></div>`;
  }

  /** Dates in the page's own language tag (`en-GB`: 21 Aug 2025), not just the translation's. */
  #formatDate(date: Date, t: Translation): string {
    let locales = [languageOf(this), t.$code];
    try {
      Intl.getCanonicalLocales(locales[0]);
    } catch {
      locales = [t.$code]; // not a language tag
    }
    return new Intl.DateTimeFormat(locales, { dateStyle: 'medium' }).format(date);
  }

  /**
   * Auto-discovery: one beacon per page per browser session (a sessionStorage flag; where storage
   * is blocked, once per element). text/plain, no cookies, no preflight; best effort.
   */
  async #reportPage(): Promise<void> {
    // Its own chunk: only pages with `discover` need the <head> reader.
    const metadata = (await import('./page-metadata.ts')).readPageMetadata({
      ARTICLE_DESCRIPTION_MAX_LENGTH,
      ARTICLE_TAG_MAX_LENGTH,
      ARTICLE_TAGS_MAX,
      ARTICLE_TITLE_MAX_LENGTH,
    });
    if (!metadata) return;
    const site = this.site || DEFAULT_SITE;
    const url = new URL('/api/articles/discover', serverOrigin(this.server)).href;
    const flag = `parley-discovered ${url} ${site} ${metadata.url}`;
    try {
      if (sessionStorage[flag]) return;
      sessionStorage[flag] = 1;
    } catch {
      // Storage unavailable: report anyway; the server's rate limit bounds repeats.
    }
    try {
      navigator.sendBeacon(url, JSON.stringify({ site, ...metadata }));
    } catch {
      // Discovery is best effort.
    }
  }

  /**
   * Clicks and impressions, as beacons: no cookies, no reader id, and they survive the navigation.
   * Sent as text/plain so no CORS preflight is needed; best effort.
   */
  #beacon(path: string, data: { target: string; position: number } | { seen: SeenCard[] }): void {
    const body = JSON.stringify({ site: this.site || DEFAULT_SITE, page: pageIdentity(this.page), ...data });
    try {
      navigator.sendBeacon?.(new URL(path, serverOrigin(this.server)).href, body);
    } catch {
      // Counting is best effort; the link works regardless.
    }
  }
}
