import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit';
import { DEFAULT_SITE } from '@parley/schema/limits';
import { requestCount } from '../../controllers/count-batcher.ts';
import { pageIdentity } from '../../controllers/page-identity.ts';
import { serverOrigin } from '../../controllers/server-origin.ts';
import type { ParleyCommentPostedEvent } from '../../events/comment-posted.ts';
import { localize } from '../../i18n/localize.ts';
import { hostStyles } from '../../styles/tokens.ts';
import { styles } from './count.styles.ts';

/**
 * A comment-count badge ("3 comments") for article lists. Every badge on a page that talks to
 * the same server and site shares one `POST /api/counts`. A comment posted by a
 * `<parley-comments>` on the same page bumps the matching badge.
 *
 * @summary The number of comments on a page, for article lists.
 *
 * @csspart count - The count text.
 *
 * @cssproperty --parley-font - Font family (inherits the page's font by default).
 * @cssproperty --parley-color-text - Text colour (inherits by default).
 */
export class ParleyCount extends LitElement {
  static override styles = [hostStyles, styles];

  /**
   * The reactive properties (`state`: internal) of the fields below: a table, not decorators,
   * whose compiled helper would be part of the first load.
   */
  static override properties = {
    count: { state: true, attribute: false },
    page: {},
    site: {},
    server: {},
  };

  /** The loaded count; `undefined` while loading, `null` after a failure. */
  private count?: number | null;

  /** The page to count comments of; defaults to the canonical link's path, else `location.pathname`. */
  page = '';
  /** The site id configured on the server. */
  site = '';
  /** The Parley server's base URL; defaults to the origin `embed.js` was loaded from. */
  server = '';

  #key = '';

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('parley-comment-posted', this.#onPosted);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('parley-comment-posted', this.#onPosted);
  }

  readonly #onPosted = (event: ParleyCommentPostedEvent): void => {
    if (typeof this.count === 'number' && event.comment.page === pageIdentity(this.page)) this.count += 1;
  };

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    const server = serverOrigin(this.server);
    const site = this.site || DEFAULT_SITE;
    const page = pageIdentity(this.page);
    const key = `${server} ${site} ${page}`;
    if (key === this.#key) return;
    this.#key = key;
    this.count = undefined;
    requestCount(server, site, page).then(
      (count) => this.#key === key && (this.count = count),
      () => this.#key === key && (this.count = null),
    );
  }

  protected override render(): TemplateResult {
    const count = this.count;
    if (count === undefined) return html`<span part="count" aria-busy="true">…</span>`;
    return html`<span part="count">${count === null ? '' : localize(this).commentCount(count)}</span>`;
  }
}
