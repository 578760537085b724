/** Helpers for the console's browser tests: the real Parley server started by web-test-runner.config.mjs. */
import { fixture, html } from '@open-wc/testing';
import type { AdminComment, AdminCommentsResponse, PostedComment } from '@parley/schema';
import type { ParleyConsole } from '../components/console-app.ts';
import '../components/console-app.ts';

declare global {
  interface Window {
    PARLEY_TEST: { server: string; token: string; admin: { email: string; password: string } };
    /** Set by hostile markup if it ever runs. */
    __pwned?: unknown;
  }
}

export const { token, admin } = window.PARLEY_TEST;

/** The site the tests moderate: every comment waits for approval; one flag queues. */
export const SITE = 'console-test';
/** An open site: comments are published at once. */
export const OPEN_SITE = 'default';

const unique = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
export const uniquePage = (name: string) => `/console-test/${name}-${unique()}`;

/** Requests the API as a script would (bearer token), through the page's origin. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function postComment(input: { page: string; body: string; name?: string; email?: string; site?: string; parentId?: string }): Promise<PostedComment> {
  const { name, email, site = SITE, ...rest } = input;
  const response = await fetch('/api/comments', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ site, ...rest, ...(name || email ? { author: { ...(name ? { name } : {}), ...(email ? { email } : {}) } } : {}) }),
  });
  if (response.status !== 201 && response.status !== 202) throw new Error(`POST /api/comments: ${response.status} ${await response.text()}`);
  return response.json() as Promise<PostedComment>;
}

/** The comment as the admin API sees it now (any status). */
export async function adminComment(id: string, page: string, site = SITE): Promise<AdminComment | undefined> {
  const result = await api<AdminCommentsResponse>('GET', `/api/admin/comments?${new URLSearchParams({ site, status: 'all', page, limit: '200' })}`);
  return result.comments.find((comment) => comment.id === id);
}

/** Ends any console session left in this browser by an earlier test. */
export async function logOut(): Promise<void> {
  const me = await fetch('/api/admin/me');
  if (!me.ok) return;
  const body = (await me.json()) as { via: string; csrfToken?: string };
  if (body.via !== 'session' || !body.csrfToken) return;
  const response = await fetch('/api/admin/logout', { method: 'POST', headers: { 'x-csrf-token': body.csrfToken } });
  if (response.status !== 204) throw new Error(`logout: ${response.status}`);
}

/** Logs the browser in as the test admin (sets the session cookie) without the UI. */
export async function logIn(): Promise<void> {
  const response = await fetch('/api/admin/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  if (!response.ok) throw new Error(`login: ${response.status} ${await response.text()}`);
}

/** Polls until `check` returns a truthy value (or throws its last error after `timeout` ms). */
export async function until<T>(check: () => T | Promise<T>, timeout = 5_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** `querySelector` through a chain of shadow roots: `deep(el, 'parley-console-queue', 'li.row')`. */
export function deep<E extends Element = HTMLElement>(root: Element, ...selectors: string[]): E | null {
  let current: Element | null = root;
  for (const selector of selectors) {
    const scope: ParentNode | null | undefined = current?.shadowRoot ?? current;
    current = scope?.querySelector(selector) ?? null;
    if (!current) return null;
  }
  return current as E | null;
}

export function deepAll<E extends Element = HTMLElement>(root: Element, ...selectors: string[]): E[] {
  const last = selectors.pop()!;
  const parent = selectors.length ? deep(root, ...selectors) : root;
  const scope = parent?.shadowRoot ?? parent;
  return scope ? [...scope.querySelectorAll<E>(last)] : [];
}

/** A console on the test site, logged in, showing `view`. */
export async function openConsole(view: string, options: { theme?: 'light' | 'dark'; site?: string } = {}): Promise<ParleyConsole> {
  const site = options.site ?? SITE;
  localStorage.setItem('parley-console-site', site);
  const el = await fixture<ParleyConsole>(html`<parley-console theme=${options.theme ?? 'light'}></parley-console>`);
  await until(() => deep(el, 'nav'), 5_000, 'the console shell');
  await until(() => deep<HTMLSelectElement>(el, '#site')?.value === site, 5_000, 'the test site to be picked');
  el.go(view as Parameters<ParleyConsole['go']>[0]);
  await el.updateComplete;
  return el;
}

/** The queue's row for a comment id, once loaded. */
export const rowOf = (el: Element, id: string) => until(() => deep(el, 'parley-console-queue', `li[data-id="${id}"]`), 5_000, `row ${id}`);

/** Every element under `root`, through open shadow roots. */
function allElements(root: Element): Element[] {
  const found: Element[] = [];
  const visit = (scope: ParentNode) => {
    for (const el of scope.querySelectorAll('*')) {
      found.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(root.shadowRoot ?? root);
  return found;
}

/**
 * Resolves once hostile markup shown under `root` has had its chance to run, and throws if it did:
 * no element carries an inline handler (`onerror=`…), and `window.__pwned` is still unset after a
 * probe `<img src=x>` failed. An injected `<img src=x onerror>` started loading before the probe,
 * so its handler would have run by then: the probe's error is the event to wait for, not a delay.
 * (Checked: markup injected right before the probe sets `__pwned` first. Markup rendered through
 * Lit's `unsafeHTML` may never load its image at all: the handler check is what catches that.)
 */
export async function nothingRan(root: Element): Promise<void> {
  await new Promise((resolve) => {
    const probe = new Image();
    probe.onerror = resolve;
    probe.src = 'x';
  });
  const handlers = allElements(root).filter((el) => [...el.attributes].some((attribute) => attribute.name.startsWith('on')));
  if (handlers.length > 0) throw new Error(`inline handlers rendered: ${handlers.map((el) => el.outerHTML).join(' ')}`);
  if (window.__pwned !== undefined) throw new Error(`hostile markup ran: window.__pwned = ${String(window.__pwned)}`);
}
