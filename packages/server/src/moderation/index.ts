import type { SiteSettings } from '../sites/config.ts';
import { AkismetSpamCheck } from './akismet.ts';
import type { SpamCheck } from './spam-check.ts';

export * from './rules.ts';
export * from './spam-check.ts';
export * from './akismet.ts';
export * from './moderate.ts';

/** The spam service a site configures, if any. */
export function spamCheckFor(site: SiteSettings, options: { fetch?: typeof fetch } = {}): SpamCheck | undefined {
  const akismet = site.spamCheck?.akismet;
  return akismet ? new AkismetSpamCheck({ ...akismet, ...options }) : undefined;
}
