import { statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import type { ImportInput, ImportItem, ImportedStatus } from './item.ts';

/**
 * An Isso database file (`isso.db`), opened read-only: `threads(id, uri, title)` and
 * `comments(tid, id, parent, created (epoch seconds), mode, text (markdown), author, email,
 * website, likes)`. `mode` 1 is accepted, 2 waits for moderation, 4 is deleted (kept for replies).
 * Rows are read with an iterator, one at a time.
 */
export async function* parseIsso(input: ImportInput): AsyncIterable<ImportItem> {
  const db = new SQLite(input.path, { readonly: true, fileMustExist: true });
  try {
    for (const row of db.prepare('SELECT id, uri, title FROM threads ORDER BY id').iterate() as Iterable<{ id: number; uri: string; title: string | null }>) {
      yield { kind: 'thread', key: String(row.id), url: row.uri, title: row.title, article: false };
    }
    const comments = db.prepare('SELECT tid, id, parent, created, mode, text, author, email, website, likes FROM comments ORDER BY id').iterate() as Iterable<IssoComment>;
    for (const row of comments) {
      yield {
        kind: 'comment',
        sourceId: String(row.id),
        threadKey: String(row.tid),
        parentSourceId: row.parent ? String(row.parent) : null,
        authorName: row.author,
        authorEmail: row.email,
        authorUrl: row.website,
        content: { markdown: row.text ?? '' },
        createdAt: typeof row.created === 'number' ? row.created : null,
        status: MODES[row.mode] ?? 'pending',
        likes: row.likes ?? 0,
      };
    }
  } finally {
    db.close();
    input.progress.bytesRead = statSync(input.path).size;
  }
}

interface IssoComment {
  tid: number;
  id: number;
  parent: number | null;
  created: number | null;
  mode: number;
  text: string | null;
  author: string | null;
  email: string | null;
  website: string | null;
  likes: number | null;
}

const MODES: Record<number, ImportedStatus> = { 1: 'visible', 2: 'pending', 4: 'deleted' };
