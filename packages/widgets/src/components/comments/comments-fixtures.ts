/** Mounting and posting for the newer comments test files (not itself a test file). */
import { fixture, html, waitUntil } from '@open-wc/testing';
import type { PostedComment } from '@parley/schema';
import '../../embed.ts';
import type { ParleyComments } from './comments.ts';
import { server, shadow } from '../../test/support.ts';

export const $ = <T extends Element = HTMLElement>(el: Element, selector: string) => shadow(el).querySelector<T>(selector);
export const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
export const loaded = (el: ParleyComments) => waitUntil(() => $(el, '.empty, .comments'), 'thread did not load', { timeout: 5000 });

/** An element as a page would have it (lazy unless `loading` says otherwise), after `before` content. */
export async function mount(
  props: { page: string; site: string; server?: string; loading?: 'lazy' | 'eager' },
  before = '',
): Promise<ParleyComments> {
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  if (before) wrapper.insertAdjacentHTML('afterbegin', before);
  const el = document.createElement('parley-comments');
  Object.assign(el, { server, loading: 'eager', noLive: true, ...props });
  wrapper.append(el);
  await el.updateComplete;
  return el;
}

/** Reaches for the top form (a pointer press) and waits for the writing tools to take it over. */
export async function wakeWriter(el: ParleyComments): Promise<HTMLFormElement> {
  $(el, 'form')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
  await waitUntil(() => $(el, 'form .trap'), 'the writing tools did not load', { timeout: 5000 });
  return $<HTMLFormElement>(el, 'form')!;
}

/** A comment posted through the real API, the way another reader would. */
export async function post(input: { page: string; site: string; body: string; parentId?: string; base?: string }): Promise<PostedComment> {
  const { base = server, ...rest } = input;
  const response = await fetch(`${base}/api/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // As a form open for a minute would send it (sites refuse comments faster than their fill time).
    body: JSON.stringify({ ...rest, honeypot: '', fillMs: 60_000 }),
  });
  if (response.status !== 201) throw new Error(`POST /api/comments: ${response.status} ${await response.text()}`);
  return response.json() as Promise<PostedComment>;
}

/** Observes (never silences for good) console.warn while `fn` runs; resolves with what was warned. */
export function watchWarnings(): { warnings: string[]; restore: () => void } {
  const original = console.warn;
  const warnings: string[] = [];
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  return { warnings, restore: () => (console.warn = original) };
}
