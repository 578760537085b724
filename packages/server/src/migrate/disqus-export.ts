import { listArticles } from '../store/articles.repository.ts';
import { listThreadLocks } from '../store/comments.repository.ts';
import type { CommentRow } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { commentsOfSite } from './exporter.ts';

export interface DisqusExportOptions {
  site: string;
  /** Turns page keys into absolute links (`https://blog.example`); articles' own URLs win when absolute. */
  baseUrl?: string | undefined;
}

const escapeXml = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
// `]]>` cannot appear inside CDATA: split it across two sections.
const cdata = (text: string) => `<![CDATA[${text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

/**
 * The site's comments in the Disqus export format (what Disqus, Remark42, Isso and Commento import):
 * one `<thread>` per page with comments, then every `<post>` with its thread and parent.
 */
export async function* exportDisqus(store: Store, options: DisqusExportOptions): AsyncIterable<string> {
  const { site } = options;
  const db = store.db;
  const articles = new Map((await listArticles(db, site)).map((a) => [a.page_key, a]));
  const locked = new Set((await listThreadLocks(db, site)).map((l) => l.page));
  const pages = (await db.selectFrom('comments').select('page').distinct().where('site', '=', site).orderBy('page').execute()).map((r) => r.page);
  const threadIds = new Map(pages.map((page, i) => [page, String(i + 1)]));
  yield '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n';
  for (const page of pages) {
    const article = articles.get(page);
    const link = article && /^https?:\/\//i.test(article.url) ? article.url : `${options.baseUrl?.replace(/\/$/, '') ?? ''}${page}`;
    yield `<thread dsq:id="${threadIds.get(page)}"><id>${escapeXml(page)}</id><forum>${escapeXml(site)}</forum><link>${escapeXml(link)}</link><title>${escapeXml(article?.title ?? page)}</title><message/>` +
      `<createdAt>${isoSeconds(article?.published_at ?? article?.created_at ?? '1970-01-01T00:00:00Z')}</createdAt><isClosed>${locked.has(page)}</isClosed><isDeleted>false</isDeleted></thread>\n`;
  }
  for await (const rows of commentsOfSite(db, site)) {
    let chunk = '';
    for (const row of rows) chunk += post(row, threadIds.get(row.page)!);
    yield chunk;
  }
  yield '</disqus>\n';
}

function post(row: CommentRow, threadId: string): string {
  const deleted = row.status === 'deleted' || row.status === 'rejected';
  const author = `<author>${row.author_email ? `<email>${escapeXml(row.author_email)}</email>` : ''}<name>${escapeXml(row.author_name ?? '')}</name><isAnonymous>${row.author_email ? 'false' : 'true'}</isAnonymous></author>`;
  return `<post dsq:id="${row.id}"><id/><message>${cdata(row.html)}</message><createdAt>${isoSeconds(row.created_at)}</createdAt>` +
    `<isDeleted>${deleted}</isDeleted><isSpam>${row.status === 'spam'}</isSpam><isApproved>${row.status !== 'pending'}</isApproved>${author}` +
    `<thread dsq:id="${threadId}"/>${row.parent_id ? `<parent dsq:id="${row.parent_id}"/>` : ''}</post>\n`;
}

/** ISO-8601 UTC; Disqus itself writes whole seconds, but the readers of this format take fractions (RFC 3339). */
function isoSeconds(iso: string): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, 'Z');
}
