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
  /** The card's 0-based position in the box (for click-through by position). */
  position: z.number().int().min(0).max(RELATED_LIMIT_MAX - 1).optional(),
});
export type RelatedClick = z.infer<typeof RelatedClickSchema>;

/** Body of `POST /api/related/impressions`: the cards of one box a reader actually saw (a beacon, no reader id). */
export const RelatedImpressionsSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  /** The page the box is on. */
  page: PageIdSchema,
  /** Cards seen, each once, with its 0-based position. */
  seen: z
    .array(z.strictObject({ target: PageIdSchema, position: z.number().int().min(0).max(RELATED_LIMIT_MAX - 1) }))
    .min(1)
    .max(RELATED_LIMIT_MAX),
});
export type RelatedImpressions = z.infer<typeof RelatedImpressionsSchema>;

/** Query of `GET /api/admin/related/feedback`. */
export const RelatedFeedbackQuerySchema = daysBackQuery();

const FeedbackTotalsSchema = z.object({
  impressions: z.number().int().nonnegative(),
  clicks: z.number().int().nonnegative(),
  /** clicks / impressions, or null before any impression. */
  ctr: z.number().nonnegative().nullable(),
});

/** Response of `GET /api/admin/related/feedback`: click-through by card position and by recommended article. */
export const RelatedFeedbackResponseSchema = z.object({
  site: z.string(),
  since: z.string(),
  byPosition: z.array(FeedbackTotalsSchema.extend({ position: z.number().int().nonnegative() })),
  byArticle: z.array(FeedbackTotalsSchema.extend({ url: z.string(), title: z.string().nullable() })),
});
export type RelatedFeedbackResponse = z.infer<typeof RelatedFeedbackResponseSchema>;

/** `site` and a number of days back from today. */
function daysBackQuery() {
  return z.strictObject({
    site: SiteIdOrDefaultSchema,
    /** Days back from today, inclusive. */
    days: z.coerce.number().int().min(1).max(366).default(30),
  });
}

/** Query of `GET /api/admin/related/clicks`. */
export const RelatedClicksQuerySchema = daysBackQuery();

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
