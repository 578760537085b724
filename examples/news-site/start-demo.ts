/**
 * Runs the whole demo in one process: a Parley server, the article import, a few sample
 * comments on a fresh database, and the Harbour Gazette served as static files.
 *
 * Everything after `startServer` goes through Parley's public HTTP API, exactly as a site
 * owner's own scripts would.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { loadConfig, startServer } from '@parley/server';
import { createRenderClient, type RenderClient } from '@parley/server/render-client';
import { Hono } from 'hono';
import { sampleComments, type SampleComment } from './content/sample-comments.ts';

export interface DemoOptions {
  /** Port of the Parley server; `0` picks a free one. Default 8787. */
  parleyPort?: number;
  /** Port of the news site; `0` picks a free one. Default 8080. */
  sitePort?: number;
  /** Default: SQLite at `examples/news-site/data/parley.sqlite`. */
  databaseUrl?: string;
  /** Print nothing. */
  quiet?: boolean;
}

export interface Demo {
  siteUrl: string;
  parleyUrl: string;
  /** A fresh random token for this run's admin endpoints. */
  adminToken: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const SITE = 'default';
/** The Parley origin written in the static pages; rewritten to the real one when served. */
const PAGE_PARLEY_ORIGIN = 'http://127.0.0.1:8787';

const here = dirname(fileURLToPath(import.meta.url));
const siteDir = join(here, 'site');
/** The other examples' pages, served beside the news site under their own paths. */
const exampleDirs: Record<string, string> = {
  '/themed/': join(here, '..', 'themed'),
  '/spa/': join(here, '..', 'spa'),
};
const importFile = join(here, 'articles.json');
const defaultDatabaseFile = join(here, 'data', 'parley.sqlite');

interface ImportFile {
  site?: string;
  articles: { url: string }[];
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const log = options.quiet ? () => {} : (line: string) => console.log(line);
  const adminToken = randomBytes(24).toString('base64url');
  // A moderator account for the console at /admin, new each run unless the environment names one.
  const adminEmail = process.env.PARLEY_ADMIN_EMAIL ?? 'admin@example.org';
  const adminPassword = process.env.PARLEY_ADMIN_PASSWORD ?? randomBytes(9).toString('base64url');

  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    await mkdir(dirname(defaultDatabaseFile), { recursive: true });
    databaseUrl = `file:${defaultDatabaseFile}`;
  }

  const config = loadConfig({
    PORT: String(options.parleyPort ?? 8787),
    HOST,
    DATABASE_URL: databaseUrl,
    PARLEY_ADMIN_TOKEN: adminToken,
    PARLEY_ADMIN_EMAIL: adminEmail,
    PARLEY_ADMIN_PASSWORD: adminPassword,
  });
  const parley = await startServer(config, { quiet: options.quiet });
  const parleyUrl = parley.url.replace(/\/+$/, '');

  let site: SiteServer | undefined;
  try {
    const importBody = JSON.parse(await readFile(importFile, 'utf8')) as ImportFile;
    const result = await importArticles(parleyUrl, adminToken, importBody);
    log(`Imported ${importBody.articles.length} articles (${result.inserted} new, ${result.updated} updated).`);

    const pages = importBody.articles.map((article) => article.url);
    const seeded = await seedCommentsIfEmpty(parleyUrl, pages);
    log(seeded > 0 ? `Posted ${seeded} sample comments.` : 'Comments already present; not adding samples.');

    site = await serveSite(options.sitePort ?? 8080, parleyUrl);
  } catch (error) {
    await parley.close();
    throw error;
  }

  log('');
  log(`Parley demo ready → open ${site.url}`);
  log(`  Themed page:   ${site.url}/themed/`);
  log(`  Single-page:   ${site.url}/spa/`);
  log(`  Parley server: ${parleyUrl}`);
  log(`  Console:       ${parleyUrl}/admin  (log in as ${adminEmail} / ${adminPassword})`);
  log(`  Admin token:   ${adminToken}`);
  log(`  Database:      ${maskPassword(databaseUrl)}`);
  log('');

  let closing: Promise<void> | undefined;
  const siteServer = site;
  return {
    siteUrl: siteServer.url,
    parleyUrl,
    adminToken,
    close() {
      closing ??= (async () => {
        await siteServer.close();
        await parley.close();
      })();
      return closing;
    },
  };
}

// ── Parley's HTTP API ─────────────────────────────────────────────────────

async function api<T>(url: string, init: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(url, {
      ...rest,
      headers,
      body: json === undefined ? rest.body : JSON.stringify(json),
    });
    // Public writes are rate limited; the seeding is a burst, so wait politely and retry.
    if (response.status === 429 && attempt < 5) {
      const retryAfter = Number(response.headers.get('retry-after'));
      await new Promise((r) => setTimeout(r, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000));
      continue;
    }
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${rest.method ?? 'GET'} ${url} → ${response.status}: ${text.slice(0, 500)}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

function importArticles(parleyUrl: string, adminToken: string, body: ImportFile) {
  return api<{ inserted: number; updated: number }>(`${parleyUrl}/api/articles`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}` },
    json: body,
  });
}

/** Posts the sample threads when no page has a comment yet. Returns how many were posted. */
async function seedCommentsIfEmpty(parleyUrl: string, pages: string[]): Promise<number> {
  const { counts } = await api<{ counts: Record<string, number> }>(`${parleyUrl}/api/counts`, {
    method: 'POST',
    json: { site: SITE, pages },
  });
  if (Object.values(counts).some((n) => n > 0)) return 0;

  let posted = 0;
  const post = async (page: string, comment: SampleComment, parentId?: string) => {
    const created = await api<{ id: string }>(`${parleyUrl}/api/comments`, {
      method: 'POST',
      json: { site: SITE, page, ...(parentId ? { parentId } : {}), author: { name: comment.author }, body: comment.body },
    });
    posted++;
    for (const reply of comment.replies ?? []) await post(page, reply, created.id);
  };
  for (const [slug, thread] of Object.entries(sampleComments)) {
    const page = `/articles/${slug}.html`;
    for (const comment of thread) await post(page, comment);
  }
  return posted;
}

// ── The static site ───────────────────────────────────────────────────────

interface SiteServer {
  url: string;
  close(): Promise<void>;
}

function siteApp(parleyUrl: string): Hono {
  const app = new Hono();
  // Pages that mark their widgets with `data-parley-render` get Parley's server-rendered HTML in
  // their place: what a site's own Node server would do (fragments cached, revalidated by ETag).
  const parley: RenderClient = createRenderClient({ server: parleyUrl, site: SITE });

  // HTML goes out with the embed script pointing at this run's Parley server.
  app.get('*', async (c, next) => {
    let path: string;
    try {
      path = decodeURIComponent(c.req.path);
    } catch {
      return c.text('Bad request', 400);
    }
    if (path.endsWith('/')) path += 'index.html';
    if (!path.endsWith('.html')) return next();
    const mount = Object.keys(exampleDirs).find((prefix) => path.startsWith(prefix));
    const root = mount ? exampleDirs[mount]! : siteDir;
    const file = resolve(root, `.${mount ? path.slice(mount.length - 1) : path}`);
    if (!file.startsWith(root + sep)) return c.text('Not found', 404);
    let html: string;
    try {
      html = await readFile(file, 'utf8');
    } catch {
      return next();
    }
    c.header('cache-control', 'no-cache');
    html = html.replaceAll(PAGE_PARLEY_ORIGIN, parleyUrl);
    if (html.includes('data-parley-render')) html = await parley.inline(html, { page: path, url: new URL(path, c.req.url).href });
    return c.html(html);
  });
  app.use('*', serveStatic({ root: siteDir }));
  app.notFound((c) => c.html('<!doctype html><html lang="en"><title>Not found</title><p>Page not found. <a href="/">Back to the front page</a>.</p></html>', 404));
  return app;
}

function serveSite(port: number, parleyUrl: string): Promise<SiteServer> {
  return new Promise((resolvePromise, reject) => {
    const server = serve({ fetch: siteApp(parleyUrl).fetch, port, hostname: HOST });
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port: actual } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://${HOST}:${actual}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
  });
}

/** A database URL fit for a terminal or a log: `postgres://user:****@host/db` (SQLite paths unchanged). */
export function maskPassword(databaseUrl: string): string {
  return databaseUrl.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@]*@/i, '$1****@');
}
