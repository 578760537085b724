import { z } from 'zod';
import { AUTHOR_EMAIL_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH, COMMENT_BODY_MAX_LENGTH, RELATED_LIMIT_DEFAULT, RELATED_LIMIT_MAX } from './limits.ts';
import { IdSchema, PageIdSchema, SiteIdOrDefaultSchema } from './common.ts';
import { AvatarsOptionSchema, CommentSortSchema } from './comment.ts';

/** An absolute http(s) URL (the page's address, or the server's public origin). */
const HttpUrlSchema = z
  .string()
  .max(2_000)
  .refine((value) => {
    try {
      return /^https?:$/.test(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

/** Language of the rendered text (`en`, `de`, `pt-BR`…); unknown languages fall back to English. */
const LangSchema = z.string().regex(/^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i, 'not a language tag').max(35);

/** Presentation options both fragments share. */
const RenderOptionsShape = {
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  lang: LangSchema.optional(),
  /** The section heading, as the element's `heading` attribute would set it. */
  heading: z.string().trim().min(1).max(200).optional(),
  /** This server's public origin when it differs from the address the fragment was fetched from (a proxy, an internal URL). */
  server: HttpUrlSchema.optional(),
};

/** Query of `GET /render/comments`: the `<parley-comments>` element with its first page inside. */
export const RenderCommentsQuerySchema = z.strictObject({
  ...RenderOptionsShape,
  sort: CommentSortSchema.default('oldest'),
  /** `gravatar`, as the element's `avatars` attribute: the first page then carries Gravatar hashes, so the element takes it over as it is. */
  avatars: AvatarsOptionSchema.optional(),
  /** The page's absolute URL: where the no-JS form returns, and the `url` of the structured data. Default: the posting page's origin + `page`. */
  url: HttpUrlSchema.optional(),
});
export type RenderCommentsQuery = z.infer<typeof RenderCommentsQuerySchema>;

/** Query of `GET /render/related`. */
export const RenderRelatedQuerySchema = z.strictObject({
  ...RenderOptionsShape,
  limit: z.coerce.number().int().min(1).max(RELATED_LIMIT_MAX).default(RELATED_LIMIT_DEFAULT),
});
export type RenderRelatedQuery = z.infer<typeof RenderRelatedQuerySchema>;

/** Empty form fields are absent, as a JSON client would leave them out. */
const optionalText = (max: number) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().trim().max(max).optional());

/**
 * Body of `POST /render/comments` (`application/x-www-form-urlencoded`, from the server-rendered
 * form without script): the fields of a new comment plus the signed fill-time token and where to go back.
 */
export const RenderedFormPostSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  page: PageIdSchema,
  parentId: z.preprocess((value) => (value === '' ? undefined : value), IdSchema.optional()),
  name: optionalText(AUTHOR_NAME_MAX_LENGTH),
  email: z.preprocess((value) => (value === '' ? undefined : value), z.email().max(AUTHOR_EMAIL_MAX_LENGTH).optional()),
  body: z.string().max(COMMENT_BODY_MAX_LENGTH * 2),
  /** The honeypot (people leave it empty). */
  website: z.string().max(1_000).optional(),
  /** The signed time the form was rendered (see the server's form token). */
  token: z.string().max(500).optional(),
  /** Where to send the reader back: an address on one of the site's origins. */
  return: z.string().max(2_000).optional(),
});
export type RenderedFormPost = z.infer<typeof RenderedFormPostSchema>;
