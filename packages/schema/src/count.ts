import { z } from 'zod';
import { COUNT_PAGES_MAX } from './limits.ts';
import { PageIdSchema, SiteIdOrDefaultSchema } from './common.ts';

/** Body of `POST /api/counts`: every badge on a page in one request. */
export const CountsRequestSchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  pages: z.array(PageIdSchema).min(1).max(COUNT_PAGES_MAX),
});
export type CountsRequest = z.infer<typeof CountsRequestSchema>;

/** Response of `POST /api/counts`: each asked page, as it was sent, with its visible comment count. */
export const CountsResponseSchema = z.object({
  counts: z.record(z.string(), z.number().int().nonnegative()),
});
export type CountsResponse = z.infer<typeof CountsResponseSchema>;
