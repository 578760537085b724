import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DEFAULT_SITE } from '@parley/schema/limits';
import { AdminApi, ApiError } from '../api.ts';
import { baseStyles, themeStyles } from '../styles/tokens.ts';
import type { QueueStatus } from '../types.ts';
import './bans-view.ts';
import './comment-queue.ts';
import './login-form.ts';
import './privacy-view.ts';
import './stats-view.ts';
import './webhooks-view.ts';
import './migrate-view.ts';

export const VIEWS = ['pending', 'flagged', 'spam', 'all', 'stats', 'webhooks', 'bans', 'privacy', 'migrate'] as const;
export type View = (typeof VIEWS)[number];
/** A nav view, or one comment (`/admin/comments/<id>`, the link in moderator mails). */
export type Route = View | 'comment';

const LABELS: Record<View, string> = {
  pending: 'Pending',
  flagged: 'Flagged',
  spam: 'Spam',
  all: 'All comments',
  stats: 'Statistics',
  webhooks: 'Webhooks',
  bans: 'Bans',
  privacy: 'Privacy',
  migrate: 'Import & export',
};

const THEME_KEY = 'parley-console-theme';
const SITE_KEY = 'parley-console-site';

/**
 * @summary The site owner's console: login, then a site picker and one view per moderation task.
 * Views are client routes under `base-path` (`/admin/pending`, `/admin/stats`, …); `/admin/comments/<id>`
 * shows one comment with the queue's actions (moderator mails link there).
 */
@customElement('parley-console')
export class ParleyConsole extends LitElement {
  static override styles = [
    themeStyles,
    baseStyles,
    css`
      :host {
        min-height: 100vh;
        background: var(--_page);
        font-size: 1rem;
      }
      header {
        background: var(--_raised);
        border-bottom: 1px solid var(--_border);
      }
      .bar {
        max-width: 72rem;
        margin: 0 auto;
        padding: 0.75rem 1.5rem;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.75rem 1.5rem;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        font-size: 1.125rem;
        font-weight: 700;
        margin-inline-end: auto;
      }
      .site {
        display: flex;
        align-items: center;
        gap: 0.5rem;
      }
      .who {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        font-size: 0.875rem;
      }
      nav ul {
        max-width: 72rem;
        margin: 0 auto;
        padding: 0 1.5rem;
        list-style: none;
        display: flex;
        gap: 0.25rem;
        overflow-x: auto;
      }
      nav a {
        display: block;
        padding: 0.6rem 0.85rem;
        color: var(--_muted);
        text-decoration: none;
        font-weight: 600;
        font-size: 0.9375rem;
        border-bottom: 3px solid transparent;
        white-space: nowrap;
      }
      nav a:hover {
        color: var(--_text);
      }
      nav a[aria-current='page'] {
        color: var(--_accent);
        border-bottom-color: var(--_accent);
      }
      main {
        max-width: 72rem;
        margin: 0 auto;
        padding: 1.5rem;
      }
      main > h1 {
        font-size: 1.5rem;
        margin-bottom: 1rem;
      }
      .icon-button {
        display: inline-grid;
        place-items: center;
        width: 2.25rem;
        height: 2.25rem;
        padding: 0;
        border: 1px solid var(--_border);
        border-radius: var(--_radius);
        background: var(--_raised);
      }
      .skip {
        position: absolute;
        border: 0;
        font-weight: 600;
        left: 0.5rem;
        top: -3rem;
        z-index: 1;
        padding: 0.5rem 0.75rem;
        background: var(--_accent);
        color: var(--_accent-text);
        border-radius: var(--_radius);
      }
      .skip:focus {
        top: 0.5rem;
      }
      .center {
        padding: 20vh 1rem;
        text-align: center;
      }
      @media (max-width: 40rem) {
        .bar,
        nav ul,
        main {
          padding-inline: 1rem;
        }
      }
    `,
  ];

  /** `light`, `dark`, or unset to follow the OS (the toggle remembers a choice in localStorage). */
  @property({ reflect: true }) theme: 'light' | 'dark' | undefined;
  /** Where the console is mounted; client routes live below it. */
  @property({ attribute: 'base-path' }) basePath = '/admin';
  /** The API client; replaceable for embedding. */
  @property({ attribute: false }) api = new AdminApi();

  /** `undefined` while checking the session, `null` when logged out. */
  @state() private admin: { email: string } | null | undefined;
  @state() private view: Route = 'pending';
  /** The comment of the `comment` route. */
  @state() private commentId = '';
  @state() private sites: string[] = [DEFAULT_SITE];
  @state() private site = DEFAULT_SITE;
  @state() private fatal = '';

  readonly #onPopState = () => this.route();

  override connectedCallback(): void {
    super.connectedCallback();
    const stored = localStorage.getItem(THEME_KEY);
    if (!this.theme && (stored === 'light' || stored === 'dark')) this.theme = stored;
    this.route();
    window.addEventListener('popstate', this.#onPopState);
    void this.checkSession();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.#onPopState);
  }

  /** Shows what the URL names. */
  private route() {
    const { pathname, hash } = window.location;
    if (!pathname.startsWith(this.basePath)) {
      this.view ??= 'pending';
      return;
    }
    // Mails sent before the console routed by path linked to `/admin#/comments/<id>`.
    const legacy = /^#\/comments\/([^/?#]+)$/.exec(hash);
    if (legacy && pathname.replace(/\/+$/, '') === this.basePath) {
      history.replaceState(null, '', `${this.basePath}/comments/${legacy[1]}`);
    }
    const [first, second] = window.location.pathname.slice(this.basePath.length).split('/').filter(Boolean);
    if (first === 'comments' && second) {
      this.view = 'comment';
      this.commentId = safeDecode(second);
      return;
    }
    this.view = first && (VIEWS as readonly string[]).includes(first) ? (first as View) : 'pending';
  }

  private async checkSession() {
    try {
      const me = await this.api.me();
      // Pick the site before the first view renders, so it loads once.
      await this.loadSites();
      this.admin = me.via === 'session' ? { email: me.admin.email } : { email: 'API token' };
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.admin = null;
      else this.fatal = error instanceof ApiError ? error.message : 'The server could not be reached.';
    }
  }

  private async loadSites() {
    try {
      const sites = (await this.api.sites()).map((site) => site.id);
      if (sites.length > 0) {
        this.sites = sites;
        const remembered = localStorage.getItem(SITE_KEY);
        if (remembered && sites.includes(remembered)) this.site = remembered;
        else if (!sites.includes(this.site)) this.site = sites.includes(DEFAULT_SITE) ? DEFAULT_SITE : sites[0]!;
      }
    } catch {
      // Older servers have no site list: the default site stays the only choice.
    }
  }

  /** Shows a view (and updates the URL when the console owns it). */
  go(view: View) {
    this.view = view;
    this.navigate(`${this.basePath}/${view}`);
  }

  /** Shows one comment with its moderation actions, as `/admin/comments/<id>` does. */
  openComment(id: string) {
    this.view = 'comment';
    this.commentId = id;
    this.navigate(`${this.basePath}/comments/${encodeURIComponent(id)}`);
  }

  private navigate(url: string) {
    if (window.location.pathname.startsWith(this.basePath) && window.location.pathname !== url) history.pushState(null, '', url);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('main > h1')?.focus());
  }

  override render() {
    if (this.fatal) return html`<div class="center"><p class="error" role="alert">${this.fatal}</p></div>`;
    if (this.admin === undefined) return html`<div class="center muted" role="status">Loading…</div>`;
    if (this.admin === null) {
      return html`<parley-console-login .api=${this.api} @parley-login=${this.onLogin}></parley-console-login>`;
    }
    return html`
      <button class="skip" type="button" @click=${this.skip}>Skip to content</button>
      <header>
        <div class="bar">
          <div class="brand">
            <svg width="24" height="24" viewBox="0 0 24 24" aria-hidden="true"><path fill="var(--_accent)" d="M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>
            Parley console
          </div>
          <div class="site">
            <label for="site">Site</label>
            <select id="site" @change=${this.pickSite}>
              ${this.sites.map((site) => html`<option value=${site} ?selected=${site === this.site}>${site}</option>`)}
            </select>
          </div>
          <div class="who">
            <span class="muted">${this.admin.email}</span>
            <button class="icon-button" type="button" @click=${this.toggleTheme} aria-label=${this.isDark() ? 'Use the light theme' : 'Use the dark theme'} title="Light or dark theme">
              ${this.isDark()
                ? html`<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><circle cx="12" cy="12" r="5" fill="currentColor"/><g stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M12 1v3M12 20v3M1 12h3M20 12h3M4.2 4.2l2.1 2.1M17.7 17.7l2.1 2.1M4.2 19.8l2.1-2.1M17.7 6.3l2.1-2.1"/></g></svg>`
                : html`<svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M21 12.8A9 9 0 1 1 11.2 3a7 7 0 0 0 9.8 9.8z"/></svg>`}
            </button>
            <button class="button secondary" type="button" @click=${this.logout}>Log out</button>
          </div>
        </div>
        <nav aria-label="Console">
          <ul>
            ${VIEWS.map(
              (view) => html`<li><a href="${this.basePath}/${view}" aria-current=${view === this.view ? 'page' : 'false'} @click=${(event: MouseEvent) => this.onNav(event, view)}>${LABELS[view]}</a></li>`,
            )}
          </ul>
        </nav>
      </header>
      <main id="main">
        <h1 tabindex="-1">${this.view === 'comment' ? 'Comment' : LABELS[this.view]}</h1>
        ${this.renderView()}
      </main>
    `;
  }

  private renderView() {
    switch (this.view) {
      case 'stats':
        return html`<parley-console-stats .api=${this.api} site=${this.site}></parley-console-stats>`;
      case 'webhooks':
        return html`<parley-console-webhooks .api=${this.api} site=${this.site}></parley-console-webhooks>`;
      case 'bans':
        return html`<parley-console-bans .api=${this.api} site=${this.site}></parley-console-bans>`;
      case 'privacy':
        return html`<parley-console-privacy .api=${this.api} site=${this.site}></parley-console-privacy>`;
      case 'migrate':
        return html`<parley-console-migrate .api=${this.api} site=${this.site}></parley-console-migrate>`;
      case 'comment':
        return html`<parley-console-queue .api=${this.api} site=${this.site} comment-id=${this.commentId} heading="Comment"></parley-console-queue>`;
      default:
        return html`<parley-console-queue .api=${this.api} site=${this.site} status=${this.view as QueueStatus} heading=${LABELS[this.view]}></parley-console-queue>`;
    }
  }

  private pickSite(event: Event) {
    this.site = (event.target as HTMLSelectElement).value;
    localStorage.setItem(SITE_KEY, this.site);
  }

  private isDark(): boolean {
    return this.theme ? this.theme === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  }

  private toggleTheme() {
    this.theme = this.isDark() ? 'light' : 'dark';
    localStorage.setItem(THEME_KEY, this.theme);
  }

  private onNav(event: MouseEvent, view: View) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    this.go(view);
  }

  private skip(event: Event) {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main > h1')?.focus();
  }

  private async onLogin(event: CustomEvent<{ admin: { email: string } }>) {
    await this.loadSites();
    this.admin = { email: event.detail.admin.email };
  }

  private async logout() {
    try {
      await this.api.logout();
    } catch {
      // Logged out either way: the session is gone or will expire.
    }
    this.admin = null;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-console': ParleyConsole;
  }
}

