import type { RelatedClick, RelatedClicksResponse, RelatedFeedbackResponse, RelatedImpressions, RelatedPins, RelatedResponse } from '@parley/schema';
import type { Clock } from '../clock.ts';
import { AppError } from '../lib/errors.ts';
import { assertOriginAllowed } from '../middleware/site-origin.ts';
import { enforceRateLimits, type RateLimitStore } from '../rate-limit/rate-limit.ts';
import type { Recommender } from '../recommend/recommender.ts';
import type { Notifier } from './live/notifier.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import { clicksOfSite, findExistingPageKeys, recordClick, replacePins } from '../store/articles.repository.ts';
import { feedbackByArticle, feedbackByPosition, purgeFeedback, recordCovisit, recordImpressions, recordPositionClick } from '../store/related-feedback.repository.ts';
import type { Store } from '../store/store.ts';
import { pageKeyOf } from './page-key.ts';

const DAY_MS = 86_400_000;

/** Clicks counted per client IP hash and site in each window (a reader follows a card, then reads). */
export const CLICK_LIMIT = { max: 30, windowSeconds: 60 } as const;

/** Impression beacons per client IP hash and site (one per box a reader scrolls to; a reader skims many). */
export const IMPRESSION_LIMIT = { max: 60, windowSeconds: 60 } as const;
/** Co-visits one address may add per site and day (each pair once a day): one address cannot steer a box. */
export const COVISITS_PER_ADDRESS_PER_DAY = 20;
/** Feedback is kept this long (reports go back at most a year). */
const FEEDBACK_RETENTION_DAYS = 366;

/** What the click beacon is checked against: the site's origins and a per-IP rate limit. */
export interface ClickGuard {
  sites: SiteRegistry;
  limits: RateLimitStore;
  ipHash: (ip: string) => string | Promise<string>;
}

/** Where a beacon came from, as the request says. */
export interface BeaconContext {
  origin: string | undefined;
  /** `Sec-Fetch-Site`, when the browser sent it. */
  fetchSite: string | undefined;
  ip: string;
}

export class RelatedService {
  constructor(
    private readonly recommender: Recommender,
    private readonly store?: Store,
    private readonly clock?: Clock,
    private guard?: ClickGuard,
  ) {}

  private notifier: Notifier | undefined;

  /** Other instances hear of pin changes through it. */
  useNotifier(notifier: Notifier): void {
    this.notifier = notifier;
  }

  /** Checks every click beacon against the site's origins and a per-IP limit (the app sets it). */
  useClickGuard(guard: ClickGuard): void {
    this.guard = guard;
  }

  /** Unknown sites and pages are not errors: they get the recency fallback, or nothing. */
  async related(site: string, page: string, limit: number): Promise<RelatedResponse> {
    const items = await this.recommender.related(site, pageKeyOf(page), limit);
    return { site, page, items };
  }

  /** Replaces an editor's picks for one page. */
  async setPins({ site, page, pins }: RelatedPins): Promise<RelatedPins> {
    const { store, clock } = this.required();
    const pageKey = pageKeyOf(page);
    const targets = [...new Set(pins.map(pageKeyOf))].filter((target) => target !== pageKey);
    await store.transaction((trx) => replacePins(trx, site, pageKey, targets, clock.now().toISOString()));
    this.recommender.setPins?.(site, pageKey, targets);
    this.notifier?.publish({ kind: 'articles', site, pageKeys: [pageKey] });
    return { site, page, pins: targets };
  }

  /** Counts a click on a card: the followed article and the day, nothing about the reader. */
  async click({ site, page, target, position }: RelatedClick, context?: BeaconContext): Promise<void> {
    const { store, clock } = this.required();
    const ipHash = this.guard && context ? await this.checkBeacon(this.guard, site, context, CLICK_LIMIT) : undefined;
    // Only a card can be clicked: a target that is no article of this site is not counted (no junk rows).
    const key = pageKeyOf(target);
    if (!(await findExistingPageKeys(store.db, site, [key])).has(key)) {
      throw new AppError(400, 'validation_failed', `Invalid request: target: not an article of site "${site}"`, [{ path: 'target', message: 'not an article of this site' }]);
    }
    const day = clock.now().toISOString().slice(0, 10);
    await recordClick(store.db, site, key, day);
    await this.recordFeedback(site, pageKeyOf(page), pageKeyOf(target), position, day, ipHash);
  }

  /** Counts the cards of one box that a reader saw (each card once per beacon). */
  async impressions({ site, page, seen }: RelatedImpressions, context?: BeaconContext): Promise<void> {
    const { store, clock } = this.required();
    if (this.guard && context) await this.checkBeacon(this.guard, site, context, IMPRESSION_LIMIT);
    const cards = new Map<string, number>();
    for (const { target, position } of seen) if (!cards.has(pageKeyOf(target))) cards.set(pageKeyOf(target), position);
    const day = clock.now().toISOString().slice(0, 10);
    await recordImpressions(store.db, site, pageKeyOf(page), [...cards].map(([targetKey, position]) => ({ targetKey, position })), day);
  }

  /**
   * Click-through per position, and the co-visit "A → B" when this address has not given that
   * pair today and is under its daily budget. The address is only a salted hash in the rate-limit
   * store (whose windows expire); the database keeps counts.
   */
  private async recordFeedback(site: string, pageKey: string, targetKey: string, position: number | undefined, day: string, ipHash: string | undefined): Promise<void> {
    const { store } = this.required();
    if (position !== undefined) await recordPositionClick(store.db, site, pageKey, { targetKey, position }, day);
    if (!this.guard || ipHash === undefined || pageKey === targetKey) return;
    const pair = await this.guard.limits.hit(`covisit:${site}:${day}:${ipHash}:${pageKey}>${targetKey}`, DAY_MS);
    if (pair.count > 1) return;
    const budget = await this.guard.limits.hit(`covisit:${site}:${day}:${ipHash}`, DAY_MS);
    if (budget.count > COVISITS_PER_ADDRESS_PER_DAY) return;
    await recordCovisit(store.db, site, pageKey, targetKey, day);
  }

  /** Click-through by position and by recommended article; drops feedback past its retention. */
  async feedback(site: string, days: number): Promise<RelatedFeedbackResponse> {
    const { store, clock } = this.required();
    const now = clock.now().getTime();
    const since = new Date(now - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    await purgeFeedback(store.db, site, new Date(now - FEEDBACK_RETENTION_DAYS * DAY_MS).toISOString().slice(0, 10));
    const ctr = (clicks: number, impressions: number) => (impressions > 0 ? Math.round((clicks / impressions) * 10_000) / 10_000 : null);
    const byPosition = (await feedbackByPosition(store.db, site, since)).map((row) => ({ ...row, ctr: ctr(row.clicks, row.impressions) }));
    const articles = await feedbackByArticle(store.db, site, since, 200);
    const titles = await this.titlesOf(site, articles.map((row) => row.targetKey));
    const byArticle = articles.map(({ targetKey, impressions, clicks }) => ({ url: targetKey, title: titles.get(targetKey) ?? null, impressions, clicks, ctr: ctr(clicks, impressions) }));
    return { site, since, byPosition, byArticle };
  }

  private async titlesOf(site: string, pageKeys: readonly string[]): Promise<Map<string, string>> {
    const titles = new Map<string, string>();
    if (pageKeys.length === 0) return titles;
    const { store } = this.required();
    const rows = await store.db.selectFrom('articles').select(['page_key', 'title']).where('site', '=', site).where('page_key', 'in', pageKeys.slice(0, 500)).execute();
    for (const row of rows) titles.set(row.page_key, row.title);
    return titles;
  }

  async clicks(site: string, days: number): Promise<RelatedClicksResponse> {
    const { store, clock } = this.required();
    const since = new Date(clock.now().getTime() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    const rows = await clicksOfSite(store.db, site, since);
    const titles = new Map<string, string>();
    if (rows.length) {
      const articles = await store.db
        .selectFrom('articles')
        .select(['page_key', 'title', 'url'])
        .where('site', '=', site)
        .where('page_key', 'in', rows.slice(0, 500).map((row) => row.target_key))
        .execute();
      for (const article of articles) titles.set(article.page_key, article.title);
    }
    return { site, since, items: rows.map((row) => ({ url: row.target_key, title: titles.get(row.target_key) ?? null, clicks: row.clicks })) };
  }

  /**
   * The origin policy of public writes (see `originGuard`): an Origin must be one of the site's; no
   * Origin is a script, allowed unless the browser says cross-site. Then the per-IP limit.
   */
  private async checkBeacon(guard: ClickGuard, site: string, { origin, fetchSite, ip }: BeaconContext, limit: { max: number; windowSeconds: number }): Promise<string> {
    if (origin === undefined && fetchSite === 'cross-site') {
      throw new AppError(403, 'origin_not_allowed', 'Cross-site request without an Origin header');
    }
    assertOriginAllowed(guard.sites, site, origin);
    const ipHash = await guard.ipHash(ip);
    const kind = limit === CLICK_LIMIT ? 'click' : 'impression';
    await enforceRateLimits(guard.limits, [{ key: `${kind}:${site}:ip:${ipHash}`, ...limit, label: 'from your network' }]);
    return ipHash;
  }

  private required(): { store: Store; clock: Clock } {
    if (!this.store || !this.clock) throw new Error('RelatedService was created without a store');
    return { store: this.store, clock: this.clock };
  }
}
