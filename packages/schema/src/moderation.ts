import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema, SiteIdOrDefaultSchema, SiteIdSchema } from './common.ts';
import { FLAG_REASON_DETAIL_MAX_LENGTH, FLAG_REASONS } from './limits.ts';

/** Why a reader reports a comment (the list lives in limits.ts, where the widget reads it without zod). */
export const FlagReasonSchema = z.enum(FLAG_REASONS);
export type FlagReason = z.infer<typeof FlagReasonSchema>;

/** `POST /api/comments/:id/flag`. */
export const NewFlagSchema = z.strictObject({
  reason: FlagReasonSchema,
  /** Free text from the reader: hostile like every other field, shown escaped. */
  detail: z.string().trim().max(FLAG_REASON_DETAIL_MAX_LENGTH).optional(),
});
export type NewFlag = z.infer<typeof NewFlagSchema>;

export const FlagResultSchema = z.object({
  commentId: IdSchema,
  /** Flags on the comment so far. */
  flags: z.number().int().min(1),
  /** True once the count reached the site's `flagsToQueue`: moderators see it in the flagged queue. */
  queued: z.boolean(),
});
export type FlagResult = z.infer<typeof FlagResultSchema>;

/** What moderation decided about a new comment. */
export const ModerationDecisionSchema = z.enum(['publish', 'hold', 'reject']);
export type ModerationDecision = z.infer<typeof ModerationDecisionSchema>;

/** Machine-readable reason for a hold or rejection; the widget picks its message by this. */
export const MODERATION_REASON_CODES = [
  'ok',
  'honeypot',
  'too_fast',
  'too_many_links',
  'blocked_word',
  'duplicate',
  'spam',
  'banned',
  'first_time',
  'moderation_all',
] as const;
export const ModerationReasonCodeSchema = z.enum(MODERATION_REASON_CODES);
export type ModerationReasonCode = z.infer<typeof ModerationReasonCodeSchema>;

export const BAN_KINDS = ['email', 'ip'] as const;
export const BanKindSchema = z.enum(BAN_KINDS);
export type BanKind = z.infer<typeof BanKindSchema>;

/** Console: ban an author by the hash of their email or IP. `durationSeconds` omitted: permanent. */
export const NewBanSchema = z.strictObject({
  site: SiteIdSchema,
  kind: BanKindSchema,
  /** The hash as the console shows it (never a raw email or IP). */
  valueHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a 64-character hex hash'),
  reason: z.string().trim().max(500).optional(),
  durationSeconds: z.number().int().min(60).max(10 * 365 * 24 * 3600).optional(),
});
export type NewBan = z.infer<typeof NewBanSchema>;

export const BanSchema = z.object({
  id: IdSchema,
  site: z.string(),
  kind: BanKindSchema,
  valueHash: z.string(),
  reason: z.string().nullable(),
  createdAt: IsoDateTimeSchema,
  expiresAt: IsoDateTimeSchema.nullable(),
});
export type Ban = z.infer<typeof BanSchema>;

// ---------------------------------------------------------------------------------------------
// Privacy: a reader exports or deletes their comments, confirmed through a mailed link.
// ---------------------------------------------------------------------------------------------

export const PRIVACY_REQUEST_KINDS = ['export', 'delete'] as const;
export const PrivacyRequestKindSchema = z.enum(PRIVACY_REQUEST_KINDS);
export type PrivacyRequestKind = z.infer<typeof PrivacyRequestKindSchema>;

/** `POST /api/privacy/requests`: always 202 `{ accepted: true }`, whether or not the email has comments. */
export const PrivacyRequestSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  email: z.email().max(254),
  kind: PrivacyRequestKindSchema,
});
export type PrivacyRequest = z.infer<typeof PrivacyRequestSchema>;

/** Query of `GET /api/privacy/confirm` (the mailed link). */
export const PrivacyConfirmQuerySchema = z.strictObject({
  token: z.string().min(20).max(2_000),
});

/** One comment in an export. */
export const PrivacyExportCommentSchema = z.object({
  id: IdSchema,
  page: z.string(),
  parentId: IdSchema.nullable(),
  status: z.string(),
  authorName: z.string().nullable(),
  body: z.string(),
  createdAt: IsoDateTimeSchema,
  editedAt: IsoDateTimeSchema.nullable(),
});

/** Result of a confirmed (or console) privacy request. */
export const PrivacyResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('export'), site: z.string(), email: z.string(), exportedAt: IsoDateTimeSchema, comments: z.array(PrivacyExportCommentSchema) }),
  /** `removed`: rows gone; `anonymised`: kept as placeholders because they have replies. */
  z.object({ kind: z.literal('delete'), site: z.string(), email: z.string(), removed: z.number().int().nonnegative(), anonymised: z.number().int().nonnegative() }),
]);
export type PrivacyResult = z.infer<typeof PrivacyResultSchema>;

/** Response of `POST /api/privacy/requests`: the same whether or not the address has comments. */
export const PrivacyRequestAcceptedSchema = z.object({ accepted: z.literal(true), message: z.string() });
export type PrivacyRequestAccepted = z.infer<typeof PrivacyRequestAcceptedSchema>;
