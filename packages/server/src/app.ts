import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { AppError, codeForStatus, errorBody } from './lib/errors.ts';
import { cors } from './middleware/cors.ts';
import type { Recommender } from './recommend/recommender.ts';
import { articlesRoutes } from './routes/articles.ts';
import { commentsRoutes } from './routes/comments.ts';
import { countsRoutes } from './routes/counts.ts';
import { embedRoutes } from './routes/embed.ts';
import { healthRoutes } from './routes/health.ts';
import { relatedRoutes } from './routes/related.ts';
import { createServices } from './services/index.ts';
import type { Store } from './store/store.ts';

export interface AppDeps {
  store: Store;
  config: Pick<Config, 'adminToken' | 'embedFile'>;
  clock?: Clock;
  /** Replaces the built-in TF-IDF ranker. */
  recommender?: Recommender;
  /** Where unexpected errors are reported; defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

/** Methods each path answers, so a wrong method gets 405 with an Allow header rather than 404. */
const ALLOWED_METHODS: Record<string, string> = {
  '/api/comments': 'GET, POST, OPTIONS',
  '/api/counts': 'POST, OPTIONS',
  '/api/related': 'GET, OPTIONS',
  '/api/articles': 'PUT, OPTIONS',
  '/embed.js': 'GET, HEAD',
  '/healthz': 'GET, HEAD',
};

export function createApp({ store, config, clock = systemClock, recommender, logError = defaultLogError }: AppDeps) {
  const services = createServices(store, clock, recommender);

  const app = new Hono()
    .use('/api/*', cors({ allowedOrigins: '*' }))
    .route('/healthz', healthRoutes(store))
    .route('/embed.js', embedRoutes(config.embedFile))
    .route('/api/comments', commentsRoutes(services.comments))
    .route('/api/counts', countsRoutes(services.comments))
    .route('/api/related', relatedRoutes(services.related))
    .route('/api/articles', articlesRoutes(services.articles, config.adminToken));

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
