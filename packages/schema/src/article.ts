import { z } from 'zod';
import {
  ARTICLE_BODY_MAX_LENGTH,
  ARTICLE_DESCRIPTION_MAX_LENGTH,
  ARTICLE_TAG_MAX_LENGTH,
  ARTICLE_TAGS_MAX,
  ARTICLE_TITLE_MAX_LENGTH,
  ARTICLE_URL_MAX_LENGTH,
  ARTICLES_PER_REQUEST_MAX,
} from './limits.ts';
import { IsoDateTimeSchema, SiteIdOrDefaultSchema } from './common.ts';

/** A host no real URL has: a path is checked by resolving it against this and comparing origins. */
const PROBE_ORIGIN = 'https://parley-site.invalid';

/**
 * An absolute http(s) URL or a root-relative path such as `/articles/tide.html`. A "path" is judged
 * the way browsers will read it (the WHATWG URL parser), not by its first character: `//evil.example`,
 * `/\evil.example/x` and `/<TAB>/evil.example/x` all resolve to another host and are refused.
 */
export const ArticleUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(ARTICLE_URL_MAX_LENGTH)
  .refine((value) => {
    try {
      if (value.startsWith('/')) return new URL(value, PROBE_ORIGIN).origin === PROBE_ORIGIN;
      const { protocol } = new URL(value);
      return protocol === 'http:' || protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL or a path on the site (starting with "/", not "//" or "/\\")');

/** One article as a site owner imports it. */
export const ArticleInputSchema = z.strictObject({
  url: ArticleUrlSchema,
  title: z.string().trim().min(1).max(ARTICLE_TITLE_MAX_LENGTH),
  description: z.string().trim().max(ARTICLE_DESCRIPTION_MAX_LENGTH).optional(),
  image: ArticleUrlSchema.optional(),
  tags: z.array(z.string().trim().min(1).max(ARTICLE_TAG_MAX_LENGTH)).max(ARTICLE_TAGS_MAX).optional(),
  section: z.string().trim().max(ARTICLE_TAG_MAX_LENGTH).optional(),
  publishedAt: IsoDateTimeSchema.optional(),
  /** Plain body text, used only for ranking related articles. */
  body: z.string().max(ARTICLE_BODY_MAX_LENGTH).optional(),
  /** `false`: never recommended (drafts, embargoed, retracted). Default true. */
  published: z.boolean().optional(),
});
export type ArticleInput = z.infer<typeof ArticleInputSchema>;

/** Body of `PUT /api/articles` and the shape of an import file (`{ site?, articles }` or a bare array). */
export const ArticlesUpsertSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  articles: z.array(ArticleInputSchema).min(1).max(ARTICLES_PER_REQUEST_MAX),
});
export type ArticlesUpsert = z.infer<typeof ArticlesUpsertSchema>;

export const ArticlesUpsertResultSchema = z.object({
  site: z.string(),
  inserted: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
});
export type ArticlesUpsertResult = z.infer<typeof ArticlesUpsertResultSchema>;

/** Query of `DELETE /api/articles`. */
export const ArticleDeleteQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  url: ArticleUrlSchema,
});
export type ArticleDeleteQuery = z.infer<typeof ArticleDeleteQuerySchema>;

/** Response of `DELETE /api/articles`. */
export const ArticleDeleteResultSchema = z.object({ site: z.string(), url: z.string(), deleted: z.literal(true) });
export type ArticleDeleteResult = z.infer<typeof ArticleDeleteResultSchema>;

/**
 * Body of `POST /api/articles/discover`: what a page's `<head>` says about itself, reported by
 * `<parley-related discover>`. Only metadata: no body text, no `published` switch.
 */
export const ArticleDiscoverSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  /** The page's canonical URL (absolute, or a root-relative path). */
  url: ArticleInputSchema.shape.url,
  title: ArticleInputSchema.shape.title,
  description: ArticleInputSchema.shape.description,
  image: ArticleInputSchema.shape.image,
  tags: ArticleInputSchema.shape.tags,
  section: ArticleInputSchema.shape.section,
  publishedAt: ArticleInputSchema.shape.publishedAt,
});
export type ArticleDiscover = z.infer<typeof ArticleDiscoverSchema>;

/** Response of `POST /api/articles/discover`: `stored: false` when the site owner's own record of the page was kept. */
export const ArticleDiscoverResultSchema = z.object({
  site: z.string(),
  url: z.string(),
  stored: z.boolean(),
});
export type ArticleDiscoverResult = z.infer<typeof ArticleDiscoverResultSchema>;
