import { z } from 'zod';
import { RELATED_LIMIT_DEFAULT, RELATED_LIMIT_MAX, RELATED_PINS_MAX } from './limits.ts';
import { IsoDateTimeSchema, PageIdSchema, SiteIdOrDefaultSchema } from './common.ts';

/** Query of `GET /api/related`. */
export const RelatedQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  limit: z.coerce.number().int().min(1).max(RELATED_LIMIT_MAX).default(RELATED_LIMIT_DEFAULT),
});
export type RelatedQuery = z.infer<typeof RelatedQuerySchema>;

/** One "You may also like" card. */
export const RelatedArticleSchema = z.object({
  url: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  image: z.string().nullable(),
  section: z.string().nullable(),
  tags: z.array(z.string()),
  publishedAt: IsoDateTimeSchema.nullable(),
  /** Visible comments on that article's page. */
  commentCount: z.number().int().nonnegative(),
});
export type RelatedArticle = z.infer<typeof RelatedArticleSchema>;

/** Response of `GET /api/related`. */
export const RelatedResponseSchema = z.object({
  site: z.string(),
  page: z.string(),
  items: z.array(RelatedArticleSchema),
});
export type RelatedResponse = z.infer<typeof RelatedResponseSchema>;

/** Body of `POST /api/related/click` (sent with `navigator.sendBeacon`: no cookies, no reader id). */
export const RelatedClickSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  /** The page the card was shown on. */
  page: PageIdSchema,
  /** The URL of the card that was followed. */
  target: PageIdSchema,
});
export type RelatedClick = z.infer<typeof RelatedClickSchema>;

/** Query of `GET /api/admin/related/clicks`. */
export const RelatedClicksQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  /** Days back from today, inclusive. */
  days: z.coerce.number().int().min(1).max(366).default(30),
});

export const RelatedClicksResponseSchema = z.object({
  site: z.string(),
  since: z.string(),
  items: z.array(z.object({ url: z.string(), title: z.string().nullable(), clicks: z.number().int().nonnegative() })),
});
export type RelatedClicksResponse = z.infer<typeof RelatedClicksResponseSchema>;

/** Body of `PUT /api/related/pins`: an editor's picks for one page, shown first in this order. */
export const RelatedPinsSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  /** Article URLs (or paths); an empty list removes the pins. */
  pins: z.array(PageIdSchema).max(RELATED_PINS_MAX),
});
export type RelatedPins = z.infer<typeof RelatedPinsSchema>;
