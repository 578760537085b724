import type { ArticleFields, ImportInput, ImportItem } from './item.ts';
import { linesOf } from './source.ts';

/**
 * Parley's own export, version 1: JSON Lines, one record per line, each with a `type`.
 * The first line is the header; the others may come in any order (comments are written parents
 * first, but an importer must not rely on it). README "Export format" documents every field.
 */
export const PARLEY_EXPORT_VERSION = 1;

export interface HeaderRecord {
  type: 'parley-export';
  version: number;
  site: string;
  exportedAt: string;
  /** The site's settings from the sites file, for the record (an import does not apply them). */
  settings?: unknown;
}

export interface CommentRecord {
  type: 'comment';
  id: string;
  page: string;
  parentId: string | null;
  status: 'visible' | 'pending' | 'spam' | 'deleted' | 'rejected';
  authorName: string | null;
  authorEmail: string | null;
  authorUrl: string | null;
  authorAvatar: string | null;
  /** The author's markdown source, and the sanitised HTML readers see. */
  body: string;
  html: string;
  createdAt: string;
  updatedAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  likes: number;
  pinned: boolean;
}

export interface ArticleRecord extends ArticleFields {
  type: 'article';
}

export interface LockRecord {
  type: 'lock';
  page: string;
  lockedAt: string;
}

export interface PinsRecord {
  type: 'related-pins';
  page: string;
  targets: string[];
}

export interface BanRecord {
  type: 'ban';
  id: string;
  kind: 'email' | 'ip';
  /** Bans are stored hashed (keyed by the server secret): they work again only with the same PARLEY_SECRET. */
  valueHash: string;
  reason: string | null;
  createdAt: string;
  expiresAt: string | null;
}

export type ExportRecord = HeaderRecord | CommentRecord | ArticleRecord | LockRecord | PinsRecord | BanRecord;

export async function* parseParley(input: ImportInput): AsyncIterable<ImportItem> {
  let header = false;
  for await (const { line, number } of linesOf(input)) {
    let record: ExportRecord;
    try {
      record = JSON.parse(line) as ExportRecord;
    } catch {
      yield { kind: 'problem', sourceId: `line ${number}`, reason: 'not JSON' };
      continue;
    }
    if (!header) {
      if (record.type !== 'parley-export') throw new Error(`${input.path}: not a Parley export (the first line is no header)`);
      if (record.version > PARLEY_EXPORT_VERSION) throw new Error(`${input.path}: export version ${record.version} is newer than this Parley reads (${PARLEY_EXPORT_VERSION})`);
      header = true;
      continue;
    }
    const item = toItem(record, number);
    if (item) yield item;
  }
}

function toItem(record: ExportRecord, line: number): ImportItem | undefined {
  switch (record.type) {
    case 'comment':
      return {
        kind: 'comment',
        sourceId: record.id,
        page: record.page,
        parentSourceId: record.parentId,
        authorName: record.authorName,
        authorEmail: record.authorEmail,
        authorUrl: record.authorUrl,
        content: { html: record.html },
        createdAt: record.createdAt,
        status: record.status,
        likes: record.likes,
        pinned: record.pinned,
        parley: { id: record.id, body: record.body, authorAvatar: record.authorAvatar, updatedAt: record.updatedAt, editedAt: record.editedAt, deletedAt: record.deletedAt },
      };
    case 'article': {
      const { type: _type, ...rest } = record;
      return { kind: 'article', ...rest };
    }
    case 'lock':
      return { kind: 'lock', page: record.page, lockedAt: record.lockedAt };
    case 'related-pins':
      return { kind: 'related-pins', page: record.page, targets: record.targets };
    case 'ban':
      return { kind: 'ban', id: record.id, banKind: record.kind, valueHash: record.valueHash, reason: record.reason, createdAt: record.createdAt, expiresAt: record.expiresAt };
    default:
      return { kind: 'problem', sourceId: `line ${line}`, reason: `unknown record type "${(record as { type?: unknown }).type}"` };
  }
}
