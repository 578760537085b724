import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { ApiError, type AdminApi } from '../api.ts';
import { baseStyles } from '../styles/tokens.ts';
import type { AdminSession } from '../types.ts';

/** Fired when the admin logged in; `detail` is the session (without the cookie, which is HttpOnly). */
export class LoginEvent extends CustomEvent<AdminSession> {
  constructor(session: AdminSession) {
    super('parley-login', { detail: session, bubbles: true, composed: true });
  }
}

/** Minutes, rounded up, for a throttling message. */
const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/**
 * @summary The console's login form: email and password, errors announced, throttling explained.
 * @event parley-login - Logged in.
 */
@customElement('parley-console-login')
export class ConsoleLogin extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host {
        max-width: 24rem;
        margin: 12vh auto 0;
        padding: 0 1rem;
      }
      .card {
        padding: 2rem;
        display: grid;
        gap: 1rem;
      }
      h1 {
        font-size: 1.375rem;
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 0.6rem;
      }
      .field {
        display: grid;
        gap: 0.3rem;
      }
      .button {
        justify-content: center;
        padding-block: 0.65em;
        font-size: 1rem;
      }
      [role='alert']:empty {
        display: none;
      }
      [role='alert'] {
        margin: 0;
        padding: 0.6rem 0.8rem;
        border-radius: var(--_radius);
        border: 1px solid var(--_danger);
        color: var(--_danger);
        font-size: 0.9rem;
      }
    `,
  ];

  /** The console's API client. */
  @property({ attribute: false }) api!: AdminApi;

  /** The last error, announced by the alert region. */
  @state() private error = '';
  @state() private busy = false;

  @query('#email') private emailInput!: HTMLInputElement;

  override render() {
    return html`
      <form class="card" @submit=${this.submit} aria-labelledby="login-title" novalidate>
        <div class="brand">
          <svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true"><path fill="var(--_accent)" d="M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>
          <h1 id="login-title">Parley console</h1>
        </div>
        <p class="muted" style="margin:0">Log in to moderate comments.</p>
        <div class="field">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required ?disabled=${this.busy} aria-describedby="login-error" />
        </div>
        <div class="field">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required ?disabled=${this.busy} aria-describedby="login-error" />
        </div>
        <p id="login-error" role="alert">${this.error}</p>
        <button class="button" type="submit" ?disabled=${this.busy}>${this.busy ? 'Logging in…' : 'Log in'}</button>
      </form>
    `;
  }

  override firstUpdated() {
    this.emailInput.focus();
  }

  private async submit(event: SubmitEvent) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');
    if (!email || !password) {
      this.error = 'Enter your email and password.';
      (email ? (form.elements.namedItem('password') as HTMLInputElement) : this.emailInput).focus();
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const session = await this.api.login(email, password);
      this.dispatchEvent(new LoginEvent(session));
    } catch (error) {
      this.error = loginMessage(error);
    } finally {
      this.busy = false;
    }
  }
}

function loginMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Try again.';
  if (error.status === 401 || error.status === 400) return 'Wrong email or password.';
  if (error.status === 429) {
    const wait = error.retryAfter ? ` Try again in ${minutes(error.retryAfter)} minute${minutes(error.retryAfter) === 1 ? '' : 's'}.` : ' Try again later.';
    return `Too many failed login attempts.${wait}`;
  }
  return error.message;
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-console-login': ConsoleLogin;
  }
  interface GlobalEventHandlersEventMap {
    'parley-login': LoginEvent;
  }
}
