import { z } from 'zod';
import { SiteIdSchema } from './common.ts';

/**
 * How new comments are published on a site:
 * `open` — at once; `first-time` — an author's first comment waits for approval; `all` — every comment waits.
 */
export const MODERATION_MODES = ['open', 'first-time', 'all'] as const;
export const ModerationModeSchema = z.enum(MODERATION_MODES);
export type ModerationMode = z.infer<typeof ModerationModeSchema>;

/** What a widget may know about its site's rules (no secrets, no origins). */
export const SitePublicSettingsSchema = z.object({
  id: SiteIdSchema,
  moderation: ModerationModeSchema,
  /** Seconds after posting during which an author may edit or delete their comment. */
  editWindowSeconds: z.number().int().min(0),
  maxLinks: z.number().int().min(0),
  /** Whether the form carries the hidden honeypot field. */
  honeypot: z.boolean(),
  /** The form refuses submissions sooner than this many seconds after it was shown. */
  minFillSeconds: z.number().min(0),
});
export type SitePublicSettings = z.infer<typeof SitePublicSettingsSchema>;
