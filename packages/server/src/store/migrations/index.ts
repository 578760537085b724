import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial.ts';

/** Every migration, in an explicit map: no directory scanning, works under tsx and bundlers alike. */
export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
