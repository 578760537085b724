import { z } from 'zod';
import type { CommentSort } from '@parley/schema';
import { AppError } from '../lib/errors.ts';
import type { SortKey } from '../store/comments.repository.ts';

/**
 * Cursors are opaque to clients: base64url JSON of the sort key of the last item sent. The sort is
 * inside, so a cursor used with another order is refused rather than silently skipping comments.
 */
// A cursor is untrusted input like any other: every field is checked against what the server writes
// into one (a likes count that fits the 32-bit column, an ISO timestamp, an id), so a forged cursor is
// a 400 here rather than a database error (PostgreSQL: "out of range for type integer", NUL in text).
const LIKES_MAX = 2_147_483_647;
const CreatedAtSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/);
const CursorIdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/);
const TopCursorSchema = z.strictObject({
  s: z.enum(['oldest', 'newest', 'top']),
  /** 1 while still among the pinned comments; absent in cursors made before pinning existed. */
  p: z.literal(1).optional(),
  l: z.number().int().nonnegative().max(LIKES_MAX),
  c: CreatedAtSchema,
  i: CursorIdSchema,
});
const ReplyCursorSchema = z.strictObject({ r: z.literal(1), c: CreatedAtSchema, i: CursorIdSchema });

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(cursor: string): unknown {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function badCursor(detail: string): AppError {
  return new AppError(400, 'validation_failed', `Invalid request: cursor: ${detail}`, [{ path: 'cursor', message: detail }]);
}

export function encodeTopCursor(sort: CommentSort, key: SortKey): string {
  return encode({ s: sort, ...(key.pinned ? { p: 1 } : {}), l: key.likes, c: key.createdAt, i: key.id });
}

export function decodeTopCursor(cursor: string, sort: CommentSort): SortKey {
  const parsed = TopCursorSchema.safeParse(decode(cursor));
  if (!parsed.success) throw badCursor('not a cursor from this API');
  if (parsed.data.s !== sort) throw badCursor(`made for sort=${parsed.data.s}, not sort=${sort}`);
  return { pinned: parsed.data.p ?? 0, likes: parsed.data.l, createdAt: parsed.data.c, id: parsed.data.i };
}

export interface ReplyKey {
  createdAt: string;
  id: string;
}

export function encodeReplyCursor(key: ReplyKey): string {
  return encode({ r: 1, c: key.createdAt, i: key.id });
}

export function decodeReplyCursor(cursor: string): ReplyKey {
  const parsed = ReplyCursorSchema.safeParse(decode(cursor));
  if (!parsed.success) throw badCursor('not a replies cursor from this API');
  return { createdAt: parsed.data.c, id: parsed.data.i };
}
