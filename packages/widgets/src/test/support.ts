/** Helpers for the browser tests: the real Parley server started by web-test-runner.config.mjs. */
import type { Comment, ArticleInput } from '@parley/schema';
import { ParleyCount } from '../components/count/count.ts';
import { ParleyRelated } from '../components/related/related.ts';

// embed.ts defines <parley-related> and <parley-count> when a page first has one, from a chunk
// loaded then; tests want the elements at once (the lazy path is covered by
// tests/budget/embed-size.test.ts).
if (!customElements.get('parley-related')) customElements.define('parley-related', ParleyRelated);
if (!customElements.get('parley-count')) customElements.define('parley-count', ParleyCount);

declare global {
  interface Window {
    PARLEY_TEST: { server: string; token: string; configured: string; configuredToken: string };
  }
}

export const { server, token } = window.PARLEY_TEST;
/**
 * A second server with a sites file (web-test-runner.config.mjs): `held` (every comment waits),
 * `gated` (2 s fill time, one link), `limited` (two posts an hour), `default` (one flag queues),
 * `bulk` (no limits, for tests that need many comments).
 */
export const { configured, configuredToken } = window.PARLEY_TEST;

/** A port nothing listens on: requests fail like a server that is down. */
export const deadServer = 'http://127.0.0.1:9';

const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A page id no other test uses. */
export const uniquePage = (name: string) => `/test/${name}-${unique()}`;

/** A site id no other test uses. */
export const uniqueSite = () => `t-${unique()}`;

export async function postComment(input: { page: string; body: string; site?: string; parentId?: string; name?: string }): Promise<Comment> {
  const { name, ...rest } = input;
  const response = await fetch(`${server}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // As a form open for a minute would send it (sites refuse comments faster than their fill time).
    body: JSON.stringify({ ...rest, ...(name ? { author: { name } } : {}), honeypot: '', fillMs: 60_000 }),
  });
  if (response.status !== 201) throw new Error(`POST /api/comments: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Comment>;
}

export async function seedArticles(site: string, articles: ArticleInput[]): Promise<void> {
  const response = await fetch(`${server}/api/articles`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ site, articles }),
  });
  if (!response.ok) throw new Error(`PUT /api/articles: ${response.status} ${await response.text()}`);
}

/**
 * Counts fetch calls (to URLs containing `match`) while the returned `restore` has not been called.
 * Observes; never fakes. `settled` turns true once the call's answer (or failure) has come back, and
 * `headers` holds what the page sent.
 */
export function watchFetch(match: string): {
  calls: Array<{ url: string; body: unknown; headers: Headers; settled: boolean }>;
  restore: () => void;
} {
  const original = window.fetch;
  const calls: Array<{ url: string; body: unknown; headers: Headers; settled: boolean }> = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const result = original(input, init);
    if (url.includes(match)) {
      const call = { url, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined, headers: new Headers(init?.headers), settled: false };
      calls.push(call);
      void result.then(
        () => (call.settled = true),
        () => (call.settled = true),
      );
    }
    return result;
  };
  return { calls, restore: () => (window.fetch = original) };
}

/** The shadow root of a Parley element. */
export const shadow = (element: Element): ShadowRoot => element.shadowRoot!;
