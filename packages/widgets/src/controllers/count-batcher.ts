import { COUNT_PAGES_MAX } from '@parley/schema/limits';
import { request } from './api-client.ts';

interface Waiter {
  resolve: (count: number) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  server: string;
  site: string;
  pages: Map<string, Waiter[]>;
}

const batches = new Map<string, Batch>();

/**
 * Asks for one page's comment count. Every request made in the same task for the same server and
 * site shares one `POST /api/counts` (split at `COUNT_PAGES_MAX` pages); a page asked for twice
 * is sent once. The flush waits for a macrotask so badges upgraded across several microtasks (or
 * parsed in the same task) still land in one batch.
 */
export function requestCount(server: string, site: string, page: string): Promise<number> {
  const key = `${server}\n${site}`;
  let batch = batches.get(key);
  if (!batch) {
    batch = { server, site, pages: new Map() };
    batches.set(key, batch);
    setTimeout(() => {
      batches.delete(key);
      void flush(batch!);
    });
  }
  const waiters = batch.pages.get(page) ?? [];
  batch.pages.set(page, waiters);
  return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
}

async function flush({ server, site, pages }: Batch): Promise<void> {
  const all = [...pages.keys()];
  const chunks: string[][] = [];
  for (let start = 0; start < all.length; start += COUNT_PAGES_MAX) chunks.push(all.slice(start, start + COUNT_PAGES_MAX));
  await Promise.all(
    chunks.map(async (chunk) => {
      const settle = (each: (waiter: Waiter, page: string) => void) =>
        chunk.forEach((page) => pages.get(page)!.forEach((waiter) => each(waiter, page)));
      try {
        const { counts } = await request(server, 'POST /api/counts', { body: { site, pages: chunk } });
        settle((waiter, page) => waiter.resolve(counts[page] ?? 0));
      } catch (error) {
        settle((waiter) => waiter.reject(error));
      }
    }),
  );
}
