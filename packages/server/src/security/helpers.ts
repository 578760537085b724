import assert from 'node:assert/strict';
import { createApp, type AppDeps } from '../app.ts';
import { parseSitesConfig } from '../sites/config.ts';
import { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';
import { jsonHeaders, manualClock } from '../test/helpers.ts';
import type { ReceivedMail } from '../test/smtp-sink.ts';

export const ADMIN_TOKEN = 'security-suite-admin-token';
export const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` } as const;

/** Two sites, as the probe had them: `news` and `blog`, each with its own origin. */
export function twoSites(overrides: Record<string, Record<string, unknown>> = {}): SiteRegistry {
  return SiteRegistry.fromFile(
    parseSitesConfig(
      {
        sites: [
          { id: 'news', origins: ['https://news.example'], minFillSeconds: 0, ...overrides.news },
          { id: 'blog', origins: ['https://blog.example'], minFillSeconds: 0, ...overrides.blog },
        ],
      },
      'security-suite',
    ),
  );
}

export function securityApp(store: Store, options: { sites?: SiteRegistry; config?: Partial<AppDeps['config']>; clock?: AppDeps['clock'] } = {}) {
  const clock = options.clock ?? manualClock('2026-09-01T10:00:00.000Z');
  const app = createApp({
    store,
    clock,
    sites: options.sites ?? twoSites(),
    config: { adminToken: ADMIN_TOKEN, embedFile: '/nonexistent', trustProxy: true, secret: 'security-suite-secret', ...options.config },
    logError: () => {},
  });
  return { app, clock };
}

let address = 0;

/** Posts a comment from a fresh client address with the site's Origin; asserts the status. */
export async function postComment(
  app: ReturnType<typeof createApp>,
  input: Record<string, unknown>,
  options: { origin?: string; query?: string; status?: number } = {},
): Promise<Record<string, any>> {
  const site = (input.site as string | undefined) ?? 'news';
  const response = await app.request(`/api/comments${options.query ?? ''}`, {
    method: 'POST',
    headers: { ...jsonHeaders, origin: options.origin ?? `https://${site}.example`, 'x-forwarded-for': `203.0.113.${(address = (address % 250) + 1)}` },
    body: JSON.stringify({ site, page: '/p', ...input }),
  });
  if (options.status !== undefined) assert.equal(response.status, options.status, await response.clone().text());
  return (await response.json()) as Record<string, any>;
}

export interface StreamFrame {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Reads an SSE response frame by frame until `done(frames)` says so (state, not time: the caller
 * posts a sentinel comment and stops at its event), then cancels the stream.
 */
export async function readFramesUntil(response: Response, done: (frames: StreamFrame[]) => boolean, onOpen?: () => Promise<void>): Promise<StreamFrame[]> {
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const frames: StreamFrame[] = [];
  let buffer = '';
  let opened = false;
  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) throw new Error('stream ended early');
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (raw.startsWith(':')) {
          // `: connected` is written once the stream is subscribed and before the replay.
          if (!opened && onOpen) {
            opened = true;
            void onOpen();
          }
          continue;
        }
        const frame: StreamFrame = { data: '' };
        for (const line of raw.split('\n')) {
          if (line.startsWith('data: ')) frame.data = line.slice(6);
          else if (line.startsWith('id: ')) frame.id = line.slice(4);
          else if (line.startsWith('event: ')) frame.event = line.slice(7);
        }
        frames.push(frame);
      }
      if (done(frames)) return frames;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

export { smtpSink } from '../test/smtp-sink.ts';

/** The first link in a mail that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const match = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^\\s"<>]*`).exec(mail.text);
  assert.ok(match, `no link starting with ${prefix} in:\n${mail.text}`);
  return match[0].replace(/&amp;/g, '&');
}
