/**
 * Eleventy: Parley's comments and "You may also like" rendered into every page at build time, so
 * the built HTML carries the discussion (crawlers, readers without JavaScript) and the embed script
 * takes over in the browser without fetching it again.
 *
 *   PARLEY_URL=https://comments.example.org SITE_URL=https://www.example.org npx tsx node_modules/.bin/eleventy
 *
 * (Eleventy 3 reads a TypeScript config when run through tsx.) Rebuild to refresh the comments, or
 * leave the server-rendered part out of pages that change often: the embed script shows new
 * comments live either way.
 */
import { createRenderClient } from '@parley/server/render-client';

/** The part of Eleventy's config API this file uses. */
interface EleventyConfig {
  addShortcode(name: string, shortcode: (this: { page: { url: string } }, ...args: string[]) => Promise<string> | string): void;
}

export default function parleyEleventy(eleventyConfig: EleventyConfig) {
  const siteUrl = process.env.SITE_URL ?? 'http://localhost:8080';
  const parley = createRenderClient({
    server: process.env.PARLEY_URL ?? 'http://127.0.0.1:8787',
    site: process.env.PARLEY_SITE ?? 'default',
    // Builds make many pages in parallel; give a busy server a little longer.
    timeoutMs: 10_000,
  });

  // {% parleyComments %} and {% parleyRelated %}: the page is identified by its URL path.
  eleventyConfig.addShortcode('parleyComments', function () {
    return parley.comments(this.page.url, { url: new URL(this.page.url, siteUrl).href });
  });
  eleventyConfig.addShortcode('parleyRelated', function (limit?: string) {
    return parley.related(this.page.url, limit ? { limit: Number(limit) } : {});
  });
  // The script that makes the elements interactive, once per page (in the layout's <head>).
  eleventyConfig.addShortcode('parleyScript', () => `<script type="module" src="${process.env.PARLEY_PUBLIC_URL ?? process.env.PARLEY_URL ?? 'http://127.0.0.1:8787'}/embed.js"></script>`);
}
