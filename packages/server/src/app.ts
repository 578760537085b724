import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { systemClock, type Clock } from './clock.ts';
import { DEFAULT_CONSOLE_DIR, type Config } from './config.ts';
import { AppError, codeForStatus, errorBody } from './lib/errors.ts';
import { originGuard, siteCors, siteOfCommentInPath } from './middleware/site-origin.ts';
import { findCommentForFlag } from './store/flags.repository.ts';
import { RateLimitedError } from './rate-limit/rate-limit.ts';
import type { Recommender } from './recommend/recommender.ts';
import { adminRoutes } from './routes/admin.ts';
import { articlesRoutes } from './routes/articles.ts';
import { discoverRoutes } from './routes/discover.ts';
import { flagsRoutes } from './routes/flags.ts';
import { sitesRoutes } from './routes/sites.ts';
import { commentsRoutes } from './routes/comments.ts';
import { previewRoutes } from './routes/preview.ts';
import { streamRoutes } from './routes/stream.ts';
import { LiveFeed } from './services/live/feed.ts';
import { consoleRoutes } from './routes/console.ts';
import { countsRoutes } from './routes/counts.ts';
import { embedRoutes, languageChunkRoutes } from './routes/embed.ts';
import { healthRoutes } from './routes/health.ts';
import { relatedAdminRoutes, relatedRoutes } from './routes/related.ts';
import { AdminsService } from './services/admins.ts';
import { adminAccess } from './middleware/admin-access.ts';
import { DiscoveryService } from './services/articles.ts';
import { createServices } from './services/index.ts';
import { withSiteRelatedSettings } from './recommend/settings.ts';
import { ModerationService } from './services/moderation.ts';
import { CommentGate } from './moderation/gate.ts';
import { createMailer } from './notify/email.ts';
import { WebhookWorker } from './notify/webhooks.ts';
import { createRateLimitStore } from './rate-limit/index.ts';
import { notificationRoutes, privacyRoutes } from './routes/privacy.ts';
import { AdminCommentsService } from './services/admin-comments.ts';
import { createReaderMailer } from './services/comments-mail.ts';
import { CommentNotifier } from './services/comments-notify.ts';
import { PrivacyService } from './services/comments-privacy.ts';
import { SiteRegistry } from './sites/registry.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  store: Store;
  config: Pick<Config, 'adminToken' | 'embedFile'> & Partial<Pick<Config, 'consoleDir' | 'secureCookies' | 'sitesFile' | 'secret' | 'editWindowSeconds' | 'trustProxy' | 'related' | 'smtpUrl' | 'mailFrom' | 'redisUrl'>>;
  /** Sites and their policies (origins, moderation); default: loaded from `config.sitesFile`, else one open `default` site, any origin. */
  sites?: SiteRegistry;
  clock?: Clock;
  /** Replaces the built-in TF-IDF ranker. */
  recommender?: Recommender;
  /** Where unexpected errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
  /** Records webhook deliveries; default: a worker over the store that is never started here (the server's loop sends them). */
  webhooks?: Pick<WebhookWorker, 'enqueue'>;
}

/** Methods each path answers, so a wrong method gets 405 with an Allow header rather than 404. */
const ALLOWED_METHODS: Record<string, string> = {
  '/api/comments': 'GET, POST, OPTIONS',
  '/api/counts': 'POST, OPTIONS',
  '/api/preview': 'POST, OPTIONS',
  '/api/stream': 'GET',
  '/api/related': 'GET, OPTIONS',
  '/api/related/click': 'POST, OPTIONS',
  '/api/related/impressions': 'POST, OPTIONS',
  '/api/related/pins': 'PUT, OPTIONS',
  '/api/articles': 'PUT, DELETE, OPTIONS',
  '/api/articles/discover': 'POST, OPTIONS',
  '/embed.js': 'GET, HEAD',
  '/healthz': 'GET, HEAD',
};

export function createApp({ store, config, clock = systemClock, recommender, sites = SiteRegistry.load(config.sitesFile), logError = defaultLogError, webhooks }: AppDeps) {
  // Comment writes: the gate (rate limits, bot traps, bans, spam rules, moderation mode), then after
  // commit webhooks and mail. One secret keys every IP hash: the comments service's.
  const limits = createRateLimitStore({ redisUrl: config.redisUrl, store, clock });
  const moderation = new ModerationService(store, clock, sites, undefined, () => services.comments.identity());
  const gate = new CommentGate({ store, clock, sites, limits, moderation });
  const smtp = config.smtpUrl ? { smtpUrl: config.smtpUrl, ...(config.mailFrom ? { from: config.mailFrom } : {}) } : undefined;
  const notifier = new CommentNotifier({
    store,
    clock,
    sites,
    identity: () => services.comments.identity(),
    webhooks: webhooks ?? new WebhookWorker({ store, sites, clock }),
    moderatorMailer: smtp ? createMailer(smtp) : undefined,
    readerMailer: smtp ? createReaderMailer(smtp) : undefined,
    logError,
  });
  const services = createServices(store, clock, recommender, {
    sites,
    gate,
    hooks: notifier,
    secret: config.secret,
    ...(config.editWindowSeconds !== undefined ? { editWindowSeconds: config.editWindowSeconds } : {}),
  }, withSiteRelatedSettings(config.related, sites.list()));
  const liveFeed = new LiveFeed(store, services.comments.notifier);
  const admins = new AdminsService(store, clock);
  services.comments.logError = logError;
  const adminComments = new AdminCommentsService(store, clock, sites, services.comments, moderation);
  // Related-article beacons (clicks, discovery): origin-checked, rate limited per IP hash.
  const ipHash = async (ip: string) => (await services.comments.identity()).ipHash(ip);
  services.related.useClickGuard({ sites, limits, ipHash });
  const discovery = new DiscoveryService({ articles: services.articles, sites, limits, ipHash });
  const privacy = new PrivacyService({ store, clock, sites, comments: services.comments, limits, mailer: notifier.readerMailer, logError });
  // Edit, delete, like and flag name a comment, not a site: the origin is checked against the comment's site.
  const commentSite = siteOfCommentInPath((id) => findCommentForFlag(store.db, id));

  const app = new Hono()
    .use('/api/*', siteCors(sites))
    .use('/api/comments', originGuard(sites))
    .use('/api/comments/:id/*', originGuard(sites, { resolveSite: commentSite }))
    .route('/healthz', healthRoutes(store))
    .route('/embed.js', embedRoutes(config.embedFile))
    .route('/i18n', languageChunkRoutes(config.embedFile))
    .route('/admin', consoleRoutes(config.consoleDir ?? DEFAULT_CONSOLE_DIR))
    .route('/api/comments', commentsRoutes(services.comments, { trustProxy: config.trustProxy ?? false }))
    .route('/api/comments', flagsRoutes(moderation, { trustProxy: config.trustProxy ?? false }))
    .route('/api/preview', previewRoutes(services.comments))
    .route('/api/stream', streamRoutes(liveFeed))
    .route('/api/counts', countsRoutes(services.comments))
    .route('/api/related', relatedRoutes(services.related, config.adminToken, { trustProxy: config.trustProxy ?? false }))
    .route('/api/admin/related', relatedAdminRoutes(services.related, adminAccess(admins, config.adminToken)))
    .route('/api/articles/discover', discoverRoutes(discovery, { trustProxy: config.trustProxy ?? false }))
    .route('/api/articles', articlesRoutes(services.articles, config.adminToken))
    .route('/api/sites', sitesRoutes(sites))
    .route('/api/privacy', privacyRoutes(privacy, { trustProxy: config.trustProxy ?? false }))
    .route('/api/notifications', notificationRoutes(notifier))
    .route('/api/admin', adminRoutes(admins, moderation, { comments: adminComments, privacy, store, adminToken: config.adminToken, secureCookies: config.secureCookies, trustProxy: config.trustProxy ?? false }));

  app.notFound((c) => {
    const allowed = ALLOWED_METHODS[c.req.path];
    if (allowed) {
      c.header('Allow', allowed);
      return c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allowed}`), 405);
    }
    return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
  });

  app.onError((error, c) => errorResponse(error, c, logError));

  return app;
}

export type AppType = ReturnType<typeof createApp>;

/** The one error path: AppError and Hono's HTTPException map to the error JSON; anything else is a logged 500. */
function errorResponse(error: Error, c: Context, logError: NonNullable<AppDeps['logError']>): Response {
  if (error instanceof RateLimitedError) c.header('Retry-After', String(error.retryAfterSeconds));
  if (error instanceof AppError) {
    return c.json(errorBody(error.code, error.message, error.issues), error.status);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return c.json(errorBody(codeForStatus(error.status), error.message || 'Bad request'), error.status);
  }
  logError(`Unexpected error on ${c.req.method} ${c.req.path}`, error);
  return c.json(errorBody('internal_error', 'Internal server error'), 500);
}

function defaultLogError(message: string, error: unknown): void {
  console.error(message, error);
}
