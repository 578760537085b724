import type { CliCommand } from './io.ts';

export interface CommandEntry {
  /** One line for `parley --help`. */
  summary: string;
  /** Loaded on use, so `parley --version` does not load the server. */
  load: () => Promise<{ default: CliCommand }>;
}

/**
 * Every `parley` command. Adding one is one line here plus `src/cli/<name>.ts`, whose default
 * export is `(argv: string[], io: CliIo) => Promise<number>` (argv: the words after the name).
 */
export const COMMANDS: Record<string, CommandEntry> = {
  serve: { summary: 'run the server', load: () => import('./serve.ts') },
  migrate: { summary: 'apply pending database migrations', load: () => import('./migrate.ts') },
  import: { summary: 'upsert articles from feeds, sitemaps or articles JSON files (paths or URLs)', load: () => import('./import.ts') },
  'import-articles': { summary: 'upsert articles from one JSON file, all or nothing', load: () => import('./import-articles.ts') },
  sites: { summary: 'check a sites file, or list the configured sites', load: () => import('./sites.ts') },
  admin: { summary: 'create a console account or set its password', load: () => import('./admin.ts') },
  'import-comments': { summary: 'import comments from Disqus, WordPress, Isso, Remark42, Commento/Comentario or Parley exports', load: async () => ({ default: (await import('./import-comments.ts')).runImportComments }) },
  export: { summary: 'export a site (Parley JSON Lines or Disqus XML)', load: async () => ({ default: (await import('./export.ts')).runExport }) },
  backup: { summary: 'copy the SQLite database to FILE while the server runs (WAL-safe)', load: async () => ({ default: (argv, io) => import('./backup.ts').then(({ backupCommand }) => backupCommand(['backup', ...argv], io)) }) },
  restore: { summary: 'replace the SQLite database with a backup FILE (the server stopped)', load: async () => ({ default: (argv, io) => import('./backup.ts').then(({ backupCommand }) => backupCommand(['restore', ...argv], io)) }) },
  config: { summary: 'check the configuration: print it (secrets masked) with every problem', load: () => import('./config.ts') },
};
