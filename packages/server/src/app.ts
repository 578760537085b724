import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { systemClock, type Clock } from './clock.ts';
import { DEFAULT_CONSOLE_DIR, type Config } from './config.ts';
import { AppError, codeForStatus, errorBody } from './lib/errors.ts';
import { storageFailure } from './lib/storage-errors.ts';
import { allowedMethodsLookup } from './lib/allowed-methods.ts';
import { clientAddressMiddleware } from './lib/client-address.ts';
import { knownSiteReads } from './middleware/known-site.ts';
import { originGuard, siteCors, siteOfCommentInPath } from './middleware/site-origin.ts';
import { findCommentForFlag } from './store/flags.repository.ts';
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
import { InProcessNotifier, type Notifier } from './services/live/notifier.ts';
import { JobRunner } from './jobs/runner.ts';
import { OutboxWorker } from './jobs/outbox-worker.ts';
import { pruneJobs } from './jobs/prune.ts';
import { consoleRoutes } from './routes/console.ts';
import { countsRoutes } from './routes/counts.ts';
import { codeChunkRoutes, embedRoutes, languageChunkRoutes } from './routes/embed.ts';
import { healthRoutes, readyRoutes } from './routes/health.ts';
import { relatedAdminRoutes, relatedRoutes } from './routes/related.ts';
import type { LoginGuard } from './admin/login-guard.ts';
import { renderRoutes } from './routes/render.ts';
import { AdminsService } from './services/admins.ts';
import { adminAccess } from './middleware/admin-access.ts';
import { adminMigrateRoutes, announceImport } from './routes/admin-migrate.ts';
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
import { SingleUseLinks } from './services/single-use-links.ts';
import { SiteRegistry } from './sites/registry.ts';
import type { Store } from './store/store.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { metrics as processMetrics, type Metrics } from './observability/metrics.ts';
import { requestContext } from './observability/request-context.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { openApiRoutes } from './routes/openapi.ts';

export interface AppDeps {
  store: Store;
  config: Pick<Config, 'adminToken' | 'embedFile'> & Partial<Pick<Config, 'metricsToken' | 'logLevel' | 'consoleDir' | 'secureCookies' | 'sitesFile' | 'secret' | 'editWindowSeconds' | 'trustProxy' | 'related' | 'smtpUrl' | 'mailFrom' | 'redisUrl' | 'publicUrl'>>;
  /** Sites and their policies (origins, moderation); default: loaded from `config.sitesFile`, else one open `default` site, any origin. */
  sites?: SiteRegistry;
  clock?: Clock;
  /** Replaces the built-in TF-IDF ranker. */
  recommender?: Recommender;
  /** Where unexpected errors are reported; defaults to the logger at level error. */
  logError?: (message: string, error: unknown) => void;
  /** Structured logs (pino); default: JSON on stdout at config.logLevel (info). */
  logger?: Logger;
  /** Default: the process's registry (`metrics` in observability/metrics.ts). */
  metrics?: Metrics;
  /** Records webhook deliveries; default: a worker over the store, drained by the job runner. */
  webhooks?: Pick<WebhookWorker, 'enqueue'>;
  /** Tells caches and live streams of every instance; default: this process only (startServer picks PostgreSQL NOTIFY or the SQLite watcher). */
  notifier?: Notifier;
  /** Login budgets and the password-check queue; default: LOGIN_GUARD_DEFAULTS (admin/login-guard.ts). */
  loginGuard?: LoginGuard;
  /** Aborted when the server shuts down: live streams end (before the database closes) and new ones get 503. */
  shutdown?: AbortSignal;
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
  '/readyz': 'GET, HEAD',
};

/** The app and what runs beside it: the notifier its caches follow and the background jobs. */
export interface Parley {
  app: AppType;
  jobs: JobRunner;
  notifier: Notifier;
}

export function createApp(deps: AppDeps): AppType {
  return buildParley(deps).app;
}

export function createParley(deps: AppDeps): Parley {
  return buildParley(deps);
}

function buildParley({ store, config, clock = systemClock, recommender, sites = SiteRegistry.load(config.sitesFile), logger = createLogger({ level: config.logLevel }), metrics = processMetrics, logError = (message, error) => logger.error({ err: error }, message), webhooks, notifier = new InProcessNotifier(), loginGuard, shutdown }: AppDeps) {
  // Comment writes: the gate (rate limits, bot traps, bans, spam rules, moderation mode), then one
  // lifecycle transaction that also stages webhooks and mail (the outbox) and the notification
  // every instance's caches and streams follow. One secret keys every IP hash: the comments service's.
  // Links in mail come from PARLEY_PUBLIC_URL only (loadConfig refuses SMTP without it; so does this).
  if (config.smtpUrl && !config.publicUrl) throw new Error('createApp: smtpUrl needs publicUrl (PARLEY_PUBLIC_URL)');
  const links = new SingleUseLinks(store, clock, () => services.comments.identity());
  const limits = createRateLimitStore({ redisUrl: config.redisUrl, store, clock, logError });
  shutdown?.addEventListener('abort', () => void limits.close?.().catch(() => {}), { once: true });
  const moderation = new ModerationService(store, clock, sites, undefined, () => services.comments.identity());
  moderation.useNotifier(notifier);
  const gate = new CommentGate({ store, clock, sites, limits, moderation, identity: () => services.comments.identity() });
  const smtp = config.smtpUrl ? { smtpUrl: config.smtpUrl, ...(config.mailFrom ? { from: config.mailFrom } : {}) } : undefined;
  const webhookWorker = new WebhookWorker({ store, sites, clock, onError: (error) => logError('Webhook delivery failed', error) });
  const effects = new CommentNotifier({
    store,
    clock,
    sites,
    identity: () => services.comments.identity(),
    webhooks: webhooks ?? webhookWorker,
    moderatorMailer: smtp ? createMailer(smtp) : undefined,
    readerMailer: smtp ? createReaderMailer(smtp) : undefined,
    publicUrl: config.publicUrl,
    links,
    logError,
  });
  const outbox = new OutboxWorker({ store, clock, deliver: (row) => effects.deliver(row), onError: logError });
  const jobs = new JobRunner({ store, clock, queues: webhooks ? [outbox] : [outbox, webhookWorker], jobs: pruneJobs({ store, clock, sites }), onError: logError, onDepth: (queue, pending) => metrics.outboxQueueDepth.set({ queue }, pending) });
  const services = createServices(store, clock, recommender, {
    sites,
    gate,
    effects,
    notifier,
    onOutbox: () => jobs.kick(),
    secret: config.secret,
    ...(config.editWindowSeconds !== undefined ? { editWindowSeconds: config.editWindowSeconds } : {}),
  }, withSiteRelatedSettings(config.related, sites.list()));
  // Streams re-read each event's comment: what went out of public view never goes out again.
  const liveFeed = new LiveFeed(store, notifier, { views: services.comments, clock });
  const admins = new AdminsService(store, clock, loginGuard ? { loginGuard } : {});
  services.comments.logError = logError;
  const adminComments = new AdminCommentsService(store, clock, sites, services.comments, moderation);
  // Related-article beacons (clicks, discovery): origin-checked, rate limited per IP hash.
  const ipHash = async (ip: string) => (await services.comments.identity()).ipHash(ip);
  services.related.useClickGuard({ sites, limits, ipHash });
  const discovery = new DiscoveryService({ articles: services.articles, sites, limits, ipHash });
  const privacy = new PrivacyService({ store, clock, sites, comments: services.comments, limits, mailer: effects.readerMailer, logError });
  // Edit, delete, like and flag name a comment, not a site: the origin is checked against the comment's site.
  const commentSite = siteOfCommentInPath((id) => findCommentForFlag(store.db, id));

  const app = new Hono()
    .use(clientAddressMiddleware(config.trustProxy ?? false))
    .use(requestContext({ logger, metrics }))
    .use('/api/*', siteCors(sites))
    .use('/api/comments', originGuard(sites))
    .use('/api/comments', knownSiteReads(sites))
    .use('/api/related', knownSiteReads(sites))
    .use('/api/stream', knownSiteReads(sites))
    .use('/api/comments/:id/*', originGuard(sites, { resolveSite: commentSite }))
    .route('/healthz', healthRoutes(store))
    .route('/readyz', readyRoutes([{ name: 'database', ping: () => store.ping() }, ...(limits.ping ? [{ name: 'redis', ping: () => limits.ping!(), optional: true }] : [])]))
    .route('/metrics', metricsRoutes(metrics, config.metricsToken))
    .route('/embed.js', embedRoutes(config.embedFile))
    .route('/i18n', languageChunkRoutes(config.embedFile))
    .route('/chunks', codeChunkRoutes(config.embedFile))
    .route('/admin', consoleRoutes(config.consoleDir ?? DEFAULT_CONSOLE_DIR))
    .route('/api/comments', commentsRoutes(services.comments, { idempotency: { db: store.db, clock }, publicUrl: config.publicUrl }))
    .route('/api/comments', flagsRoutes(moderation))
    .route('/api/preview', previewRoutes(services.comments))
    .route('/api/stream', streamRoutes(liveFeed, shutdown ? { shutdown } : {}))
    .route('/api/counts', countsRoutes(services.comments, (site) => void sites.get(site)))
    .route('/api/related', relatedRoutes(services.related, config.adminToken))
    .route('/api/admin/related', relatedAdminRoutes(services.related, adminAccess(admins, config.adminToken)))
    .route('/api/admin', adminMigrateRoutes({ store, sites, secret: config.secret, afterImport: (site, pages) => announceImport(services.comments.notifier, site, pages) }, adminAccess(admins, config.adminToken)))
    .route('/api/articles/discover', discoverRoutes(discovery))
    .route('/api/articles', articlesRoutes(services.articles, config.adminToken))
    .route('/api/sites', sitesRoutes(sites))
    .route('/api/privacy', privacyRoutes(privacy, { publicUrl: config.publicUrl, links }))
    .route('/api/notifications', notificationRoutes(effects))
    .route('/render', renderRoutes({ comments: services.comments, related: services.related, sites, store, clock }))
    .route('/api/admin', adminRoutes(admins, moderation, { comments: adminComments, privacy, store, adminToken: config.adminToken, secureCookies: config.secureCookies, publicUrl: config.publicUrl }));

  // The API's own description, read off the finished app (outside the chain: not part of AppType).
  app.route('/api', openApiRoutes(() => app));

  const allowedOn = allowedMethodsLookup(() => app.routes);
  app.notFound((c) => {
    const allowed = ALLOWED_METHODS[c.req.path] ?? allowedOn(c.req.path);
    if (allowed) {
      c.header('Allow', allowed);
      return c.json(errorBody('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allowed}`, undefined, c.get('requestId')), 405);
    }
    return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`, undefined, c.get('requestId')), 404);
  });

  app.onError((error, c) => errorResponse(error, c, logError));

  return { app, jobs, notifier };
}

export type AppType = ReturnType<typeof buildParley>['app'];

/** The one error path: AppError and Hono's HTTPException map to the error JSON; anything else is a logged 500. */
function errorResponse(error: Error, c: Context, logError: NonNullable<AppDeps['logError']>): Response {
  // A client that hung up mid-body: nobody reads the answer and nothing is wrong with the server.
  if (c.req.raw.signal.aborted) return c.json(errorBody('validation_failed', 'Request aborted by the client'), 400);
  const storage = error instanceof AppError ? undefined : storageFailure(error);
  if (storage) {
    // The real cause (SQLITE_FULL, ECONNREFUSED…) goes to the log; the client gets 503 + Retry-After.
    if (storage.status >= 500) logError(`Storage failure on ${c.req.method} ${c.req.path}`, error);
    error = storage;
  }
  const { retryAfterSeconds } = error as { retryAfterSeconds?: unknown };
  if (typeof retryAfterSeconds === 'number') c.header('Retry-After', String(retryAfterSeconds));
  if (error instanceof AppError) {
    return c.json(errorBody(error.code, error.message, error.issues, c.get('requestId')), error.status);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return c.json(errorBody(codeForStatus(error.status), error.message || 'Bad request', undefined, c.get('requestId')), error.status);
  }
  logError(`Unexpected error on ${c.req.method} ${c.req.path} (request ${c.get('requestId')})`, error);
  return c.json(errorBody('internal_error', 'Internal server error', undefined, c.get('requestId')), 500);
}
