import { z } from 'zod';
import { RELATED_LIMIT_DEFAULT, RELATED_LIMIT_MAX } from './limits.ts';
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
});
export type RelatedArticle = z.infer<typeof RelatedArticleSchema>;

/** Response of `GET /api/related`. */
export const RelatedResponseSchema = z.object({
  site: z.string(),
  page: z.string(),
  items: z.array(RelatedArticleSchema),
});
export type RelatedResponse = z.infer<typeof RelatedResponseSchema>;
