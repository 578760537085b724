import { z } from 'zod';
import { PAGE_ID_MAX_LENGTH, SITE_ID_MAX_LENGTH, DEFAULT_SITE } from './limits.ts';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export const SiteIdSchema = z
  .string()
  .min(1)
  .max(SITE_ID_MAX_LENGTH)
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, "-" and "_" only');

/** A site id that falls back to the default site when omitted. */
export const SiteIdOrDefaultSchema = SiteIdSchema.default(DEFAULT_SITE);

/**
 * A page identifier: the `page` attribute verbatim, or the path of the page's canonical URL.
 * The server keys comments and articles by it.
 */
export const PageIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(PAGE_ID_MAX_LENGTH)
  .refine((value) => !CONTROL_CHARS.test(value), 'must not contain control characters');

/** Sortable ids made by the server (ULIDs). */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'not a valid id');

export const IsoDateTimeSchema = z.iso.datetime({ offset: true });
