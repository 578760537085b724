/**
 * One render client for the whole Astro site (server output or static build): fragments are kept
 * in memory and revalidated with their ETag, so a page view costs Parley a 304 at most.
 */
import { createRenderClient } from '@parley/server/render-client';

/** Astro's `import.meta.env` (Vite), else the process environment (plain Node, tests). */
const env = (import.meta as { env?: Record<string, string | undefined> }).env ?? process.env;

export const parley = createRenderClient({
  server: env.PARLEY_URL ?? 'http://127.0.0.1:8787',
  site: env.PARLEY_SITE ?? 'default',
});

/** The page id Parley uses: the URL's path, as the embed script derives it from the canonical link. */
export const pageOf = (url: URL) => url.pathname;
