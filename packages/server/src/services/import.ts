import { readFile } from 'node:fs/promises';
import { ArticlesUpsertSchema, type ArticlesUpsertResult } from '@parley/schema';
import { systemClock } from '../clock.ts';
import { validationError } from '../lib/validate.ts';
import type { Store } from '../store/store.ts';
import { ArticlesService } from './articles.ts';

/**
 * Imports an articles file: a bare array of articles or `{ site?, articles }`.
 * `site` overrides the file's. Errors name the item and field (`articles.2.url: …`).
 */
export async function importArticlesFile(store: Store, filePath: string, site?: string): Promise<ArticlesUpsertResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(filePath, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'not valid JSON' : (error as Error).message;
    throw new Error(`Cannot read articles file ${filePath}: ${reason}`, { cause: error });
  }
  const envelope: Record<string, unknown> = Array.isArray(parsed)
    ? { articles: parsed }
    : parsed !== null && typeof parsed === 'object'
      ? { ...(parsed as Record<string, unknown>) }
      : { articles: parsed };
  if (site !== undefined) envelope.site = site;
  const result = ArticlesUpsertSchema.safeParse(envelope);
  if (!result.success) throw validationError('file', result.error, `Invalid articles file ${filePath}`);
  return new ArticlesService(store, systemClock).upsert(result.data);
}
