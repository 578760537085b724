import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { CommentItem, ImportInput, ImportItem, ImportedStatus } from './item.ts';
import { isGzip } from './source.ts';

/**
 * Commento's export (`{"version":1,"comments":[…],"commenters":[…]}`, commenters after the
 * comments that name them) and Comentario's (`{"version":3,"pages":[…],"comments":[…],
 * "commenters":[…]}`). Both are one JSON document whose commenters come last, so it is read whole:
 * these exports are small (Commento's cloud capped sites far below what would matter).
 */
/** Read whole, so bounded: far above any real Commento export, far below what would exhaust memory. */
export const COMMENTO_MAX_BYTES = 256 * 1024 ** 2;

export async function* parseCommento(input: ImportInput): AsyncIterable<ImportItem> {
  if (input.progress.totalBytes > COMMENTO_MAX_BYTES) throw new Error(`A Commento export is one JSON document, read whole; this one is over ${COMMENTO_MAX_BYTES / 1024 ** 2} MB`);
  let raw = await readFile(input.path);
  input.progress.bytesRead = raw.length;
  if (isGzip(input.path)) raw = gunzipSync(raw);
  const doc = JSON.parse(raw.toString('utf8')) as Record<string, any>;
  const comments: any[] = Array.isArray(doc.comments) ? doc.comments : [];
  const commenters = new Map<string, any>();
  for (const person of Array.isArray(doc.commenters) ? doc.commenters : []) commenters.set(String(person.commenterHex ?? person.id), person);
  if (Array.isArray(doc.pages)) {
    // Comentario: comments point at pages by id.
    const pages = new Map<string, any>(doc.pages.map((page: any) => [String(page.id), page]));
    for (const page of pages.values()) {
      if (typeof page.path === 'string') yield { kind: 'thread', key: String(page.id), url: page.path, title: page.title || null, closed: Boolean(page.isReadonly), article: false };
    }
    for (const c of comments) yield comentario(c, commenters.get(String(c.userCreated ?? c.authorId)));
    return;
  }
  for (const c of comments) yield commento(c, commenters.get(String(c.commenterHex)));
}

function commento(c: any, person: any): CommentItem {
  let status: ImportedStatus = c.state === 'approved' ? 'visible' : c.state === 'flagged' ? 'spam' : 'pending';
  if (c.deleted) status = 'deleted';
  return {
    kind: 'comment',
    sourceId: String(c.commentHex ?? ''),
    url: String(c.url ?? ''),
    parentSourceId: c.parentHex && c.parentHex !== 'root' ? String(c.parentHex) : null,
    authorName: person?.name ?? (c.commenterHex === 'anonymous' ? 'Anonymous' : null),
    authorEmail: person?.email ?? null,
    authorUrl: person?.link ?? null,
    content: typeof c.markdown === 'string' && c.markdown ? { markdown: c.markdown } : { html: String(c.html ?? '') },
    createdAt: typeof c.creationDate === 'string' ? c.creationDate : null,
    status,
    likes: typeof c.score === 'number' && c.score > 0 ? c.score : 0,
  };
}

function comentario(c: any, person: any): CommentItem {
  let status: ImportedStatus = c.isApproved ? 'visible' : c.isPending === false ? 'rejected' : 'pending';
  if (c.isDeleted) status = 'deleted';
  return {
    kind: 'comment',
    sourceId: String(c.id ?? ''),
    threadKey: String(c.pageId ?? ''),
    parentSourceId: c.parentId ? String(c.parentId) : null,
    authorName: person?.name ?? c.authorName ?? null,
    authorEmail: person?.email ?? null,
    authorUrl: person?.websiteUrl ?? null,
    content: typeof c.markdown === 'string' && c.markdown ? { markdown: c.markdown } : { html: String(c.html ?? '') },
    createdAt: typeof c.createdTime === 'string' ? c.createdTime : null,
    status,
    likes: typeof c.score === 'number' && c.score > 0 ? c.score : 0,
    pinned: Boolean(c.isSticky) && !c.parentId,
  };
}
