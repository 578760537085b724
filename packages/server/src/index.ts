export { createApp, type AppType, type AppDeps } from './app.ts';
export { loadConfig, type Config } from './config.ts';
export { openStore, type Store } from './store/store.ts';
export { startServer, type RunningServer, type StartServerOptions } from './server.ts';
export { importArticlesFile } from './services/import.ts';
export { systemClock, type Clock } from './clock.ts';
export type { Recommender, ArticleDocument } from './recommend/recommender.ts';
