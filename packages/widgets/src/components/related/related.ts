import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property } from '../../decorators.ts';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { RelatedArticle, RelatedResponse } from '@parley/schema';
import { DEFAULT_SITE, RELATED_LIMIT_DEFAULT, RELATED_LIMIT_MAX } from '@parley/schema/limits';
import { request } from '../../controllers/api-client.ts';
import { InViewportController } from '../../controllers/in-viewport.ts';
import { pageIdentity } from '../../controllers/page-identity.ts';
import { serverOrigin } from '../../controllers/server-origin.ts';
import { takeServerRendered } from '../../controllers/server-rendered.ts';
import { localize, type Translation } from '../../i18n/localize.ts';
import { hostStyles } from '../../styles/tokens.ts';
import { readPageMetadata } from './page-metadata.ts';
import { styles } from './related.styles.ts';

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

  readonly #viewport = new InViewportController(this);

  readonly #task = new Task(this, {
    task: async ([server, site, page, limit, visible], { signal }) => {
      if (!visible) return initialState;
      const rendered = takeServerRendered<RelatedResponse & { limit: number }>(this, 'data-parley-related', (r) => r.site === site && r.page === page && r.limit === limit);
      return (rendered ?? (await request<RelatedResponse>(server, '/api/related', { query: { site, page, limit }, signal }))).items;
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

  /** The page to find related articles for; defaults to the canonical link's path, else `location.pathname`. */
  @property() page = '';
  /** The site id configured on the server. */
  @property() site = '';
  /** The Parley server's base URL; defaults to the origin `embed.js` was loaded from. */
  @property() server = '';
  /** The section's heading text; defaults to "You may also like" in the page's language. */
  @property() heading = '';
  /** How many cards to show at most (1–20). */
  @property({ type: Number }) limit = RELATED_LIMIT_DEFAULT;
  /** `grid` lays cards out in columns; `list` stacks them with a small image beside the text. */
  @property({ reflect: true }) layout: 'grid' | 'list' = 'grid';
  /** Hides the cards' images (and their placeholders). */
  @property({ type: Boolean, reflect: true, attribute: 'no-images' }) noImages = false;
  /** `lazy` loads when the element nears the viewport; `eager` loads at once. */
  @property() loading: 'lazy' | 'eager' = 'lazy';
  /** `light`, `dark`, or `auto` (follows the reader's colour scheme). */
  @property({ reflect: true }) theme: 'light' | 'dark' | 'auto' = 'auto';
  /** Reports this page's `<head>` metadata to the server (auto-discovery; the site must allow it). */
  @property({ type: Boolean }) discover = false;

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
    if (this.discover) this.#reportPage();
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
    return html`<section aria-labelledby="heading" aria-busy=${busy ? 'true' : 'false'} dir=${t.$dir}>
      <h2 id="heading" part="heading">${this.heading || t.relatedHeading}</h2>
      ${this.#task.render({
        initial: () => this.#renderPlaceholders(t),
        pending: () => this.#renderPlaceholders(t),
        error: () => this.#renderError(t),
        // A card whose link would leave this site is never rendered (see safeUrl).
        complete: (items) => html`<ul part="list">${items.filter((item) => safeUrl(item.url)).map((item) => this.#renderCard(item, t))}</ul>`,
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

  #renderCard(item: RelatedArticle, t: Translation): TemplateResult {
    const image = safeUrl(item.image, 'image');
    const href = safeUrl(item.url);
    const published = item.publishedAt ? new Date(item.publishedAt) : undefined;
    return html`<li class="card" part="card">
      <a part="link" href=${href ?? nothing} @click=${() => this.#countClick(item.url)}>
        ${this.noImages
          ? nothing
          : image
            ? html`<img part="image" class="image" src=${image} alt="" loading="lazy" decoding="async" width="400" height="225" />`
            : html`<div part="image" class="image" aria-hidden="true"></div>`}
        <span class="text">
          ${item.section ? html`<span part="section" class="section">${item.section}</span>` : nothing}
          <span part="title" class="title">${item.title}</span>
          ${item.description ? html`<span part="description" class="description">${item.description}</span>` : nothing}
          <span part="meta" class="meta">
            ${published
              ? html`<time datetime=${item.publishedAt!}>${new Intl.DateTimeFormat(t.$code, { dateStyle: 'medium' }).format(published)}</time>`
              : nothing}
            ${item.commentCount > 0 ? html`<span class="comments">${t.commentCount(item.commentCount)}</span>` : nothing}
          </span>
        </span>
      </a>
    </li>`;
  }

  /**
   * Auto-discovery: one beacon per page per browser session (a sessionStorage flag; where storage
   * is blocked, once per element). text/plain, no cookies, no preflight; best effort.
   */
  #reportPage(): void {
    const metadata = readPageMetadata();
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
   * Counts a click with a beacon: no cookies, no reader id, and it survives the navigation.
   * Sent as text/plain so no CORS preflight is needed.
   */
  #countClick(target: string): void {
    const body = JSON.stringify({ site: this.site || DEFAULT_SITE, page: pageIdentity(this.page), target });
    const url = new URL('/api/related/click', serverOrigin(this.server)).href;
    try {
      navigator.sendBeacon?.(url, body);
    } catch {
      // Counting is best effort; the link works regardless.
    }
  }
}
