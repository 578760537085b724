import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ARTICLES_PER_REQUEST_MAX, ArticlesUpsertSchema, type ArticleInput, type ArticlesUpsertResult } from '@parley/schema';
import { systemClock } from '../clock.ts';
import { parseFeed, type IngestProblem } from '../ingest/feeds.ts';
import { validationError } from '../lib/validate.ts';
import type { Store } from '../store/store.ts';
import { ArticlesService } from './articles.ts';

/**
 * Imports an articles file: a bare array of articles or `{ site?, articles }`.
 * `site` overrides the file's. Errors name the item and field (`articles.2.url: …`).
 */
export async function importArticlesFile(store: Store, filePath: string, site?: string): Promise<ArticlesUpsertResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(filePath, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message;
    throw new Error(`Cannot read articles file ${filePath}: ${reason}`, { cause: error });
  }
  const envelope: Record<string, unknown> = Array.isArray(parsed)
    ? { articles: parsed }
    : parsed !== null && typeof parsed === 'object'
      ? { ...(parsed as Record<string, unknown>) }
      : { articles: parsed };
  if (site !== undefined) envelope.site = site;
  const result = ArticlesUpsertSchema.safeParse(envelope);
  if (!result.success) throw validationError('file', result.error, `Invalid articles file ${filePath}`);
  return new ArticlesService(store, systemClock).upsert(result.data);
}

export interface SourceReport {
  source: string;
  format: string;
  imported: number;
  /** Set when the whole source could not be read. */
  error?: string;
}

export interface ImportReport {
  site: string;
  inserted: number;
  updated: number;
  sources: SourceReport[];
  problems: IngestProblem[];
}

/** How a source's text is obtained; the CLI passes `fetch` for URLs (run by the site owner only). */
export type TextLoader = (url: string) => Promise<string>;

const isUrl = (source: string) => /^https?:\/\//i.test(source);
const MAX_SITEMAPS = 50;

function looksLikeArticlesJson(content: string): boolean {
  const trimmed = content.trimStart();
  if (trimmed.startsWith('[')) return true;
  if (!trimmed.startsWith('{')) return false;
  try {
    const value = JSON.parse(trimmed) as Record<string, unknown>;
    return Array.isArray(value.articles);
  } catch {
    return false;
  }
}

/**
 * Imports feeds, sitemaps and articles files (paths or URLs) into one site. Each bad item is a
 * problem naming the source, the item and what is wrong; the good items are imported anyway.
 * A sitemap index is followed one level (at most 50 sitemaps).
 */
export async function importSources(
  store: Store,
  sources: readonly string[],
  options: { site?: string; loadUrl?: TextLoader } = {},
): Promise<ImportReport> {
  const site = options.site ?? 'default';
  const reports: SourceReport[] = [];
  const problems: IngestProblem[] = [];
  const articles: ArticleInput[] = [];
  const queue = sources.map((source) => ({ source, depth: 0 }));
  let followed = 0;

  while (queue.length > 0) {
    const { source, depth } = queue.shift()!;
    let content: string;
    try {
      if (isUrl(source)) {
        if (!options.loadUrl) throw new Error('fetching URLs is not enabled here');
        content = await options.loadUrl(source);
      } else {
        content = await readFile(source, 'utf8');
      }
    } catch (error) {
      reports.push({ source, format: 'unknown', imported: 0, error: `cannot read: ${(error as Error).message}` });
      continue;
    }
    try {
      if (looksLikeArticlesJson(content)) {
        const parsed = JSON.parse(content) as unknown;
        const items = Array.isArray(parsed) ? parsed : (parsed as { articles: unknown[] }).articles;
        let imported = 0;
        items.forEach((item, index) => {
          const result = ArticlesUpsertSchema.shape.articles.element.safeParse(item);
          if (result.success) {
            articles.push(result.data);
            imported += 1;
          } else {
            const label = typeof (item as { url?: unknown })?.url === 'string' ? (item as { url: string }).url : undefined;
            problems.push({ source, item: index + 1, ...(label ? { label } : {}), message: result.error.issues.map((i) => `${i.path.join('.') || 'item'}: ${i.message}`).join('; ') });
          }
        });
        reports.push({ source, format: 'articles-json', imported });
        continue;
      }
      const base = isUrl(source) ? source : undefined;
      const result = parseFeed(source, content, base);
      if (result.format === 'sitemap-index') {
        for (const sitemap of result.sitemaps) {
          if (depth >= 1 || followed >= MAX_SITEMAPS) {
            problems.push({ source, label: sitemap, message: 'nested sitemap not followed (one level, at most 50)' });
            continue;
          }
          followed += 1;
          const resolved = isUrl(sitemap) || !sitemap.startsWith('/') ? sitemap : path.join(path.dirname(source), sitemap);
          queue.push({ source: resolved, depth: depth + 1 });
        }
      }
      problems.push(...result.problems);
      articles.push(...result.articles);
      reports.push({ source, format: result.format, imported: result.articles.length });
    } catch (error) {
      reports.push({ source, format: 'unknown', imported: 0, error: (error as Error).message });
    }
  }

  // The same URL from two sources: the later source wins (the service dedupes by page key).
  const service = new ArticlesService(store, systemClock);
  let inserted = 0;
  let updated = 0;
  for (let start = 0; start < articles.length; start += ARTICLES_PER_REQUEST_MAX) {
    const result = await service.upsert({ site, articles: articles.slice(start, start + ARTICLES_PER_REQUEST_MAX) });
    inserted += result.inserted;
    updated += result.updated;
  }
  return { site, inserted, updated, sources: reports, problems };
}
