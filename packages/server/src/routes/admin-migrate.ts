import { adminScope, assertSiteAccess } from '../middleware/admin-scope.ts';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono, type MiddlewareHandler } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { SiteIdOrDefaultSchema } from '@parley/schema';
import { AppError } from '../lib/errors.ts';
import { validate } from '../lib/validate.ts';
import { noStore } from '../middleware/cache-control.ts';
import { exportDisqus } from '../migrate/disqus-export.ts';
import { exportParley } from '../migrate/exporter.ts';
import { importComments, type AfterImport } from '../migrate/importer.ts';
import { IMPORT_FORMATS } from '../migrate/item.ts';
import { parseUrlMapping } from '../migrate/text.ts';
import type { Change, Notifier } from '../services/live/notifier.ts';
import type { SiteRegistry } from '../sites/registry.ts';
import type { Store } from '../store/store.ts';

/** Uploads stream to a temporary file; a Disqus export of a big site is hundreds of megabytes. */
export const IMPORT_UPLOAD_MAX_BYTES = 2 * 1024 ** 3;

const ImportQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  format: z.enum(['auto', ...IMPORT_FORMATS]).default('auto'),
  dryRun: z.enum(['0', '1', 'true', 'false']).optional(),
  withPingbacks: z.enum(['0', '1', 'true', 'false']).optional(),
});

const ExportQuerySchema = z.strictObject({
  site: SiteIdOrDefaultSchema,
  format: z.enum(['parley', 'disqus']).default('parley'),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export interface MigrateRoutesDeps {
  store: Store;
  sites: SiteRegistry;
  secret: string | undefined;
  /** After an import committed: drop the pages from caches (see migrate/importer.ts). */
  afterImport: AfterImport;
}

/** What an import changed, as notifier changes: every page it wrote, the site's articles and its bans (a Parley export carries them). */
export function importChanges(site: string, pages: readonly string[]): Change[] {
  return [...pages.map((page) => ({ kind: 'comments' as const, site, page })), { kind: 'articles', site }, { kind: 'bans', site }];
}

/** After an import through the API: caches, counts, streams and the related index of every instance follow. */
export function announceImport(notifier: Notifier, site: string, pages: readonly string[]): void {
  for (const change of importChanges(site, pages)) notifier.publish(change);
}

const yes = (value: string | undefined) => value === '1' || value === 'true';

/**
 * `POST /api/admin/import?site=&format=&dryRun=&withPingbacks=&mapUrl=FROM=TO…` with the export file
 * as the request body (any content type): answers NDJSON, `{"type":"progress",…}` lines while it
 * works, then one `{"type":"report","report":…,"failed":bool}`. `GET /api/admin/export?site=&format=`
 * downloads the site as Parley JSON Lines or Disqus XML. Admin only.
 */
export function adminMigrateRoutes(deps: MigrateRoutesDeps, requireAdmin: MiddlewareHandler) {
  return new Hono()
    .post('/import', noStore(), requireAdmin, validate('query', ImportQuerySchema.extend({ mapUrl: z.string().optional() })), async (c) => {
      const query = c.req.valid('query');
      const site = deps.sites.get(query.site).id;
      // Importing writes a site's comments wholesale: owners only (roles, README "Security model").
      if (!adminScope(c).owner) throw new AppError(403, 'forbidden', 'Only an owner may import comments');
      let mapUrl;
      try {
        mapUrl = c.req.queries('mapUrl')?.map(parseUrlMapping) ?? [];
      } catch (error) {
        throw new AppError(400, 'validation_failed', (error as Error).message, [{ path: 'mapUrl', message: (error as Error).message }]);
      }
      const declared = Number(c.req.header('content-length') ?? 0);
      if (declared > IMPORT_UPLOAD_MAX_BYTES) throw new AppError(413, 'payload_too_large', `Uploads are limited to ${IMPORT_UPLOAD_MAX_BYTES} bytes`);
      const body = c.req.raw.body;
      if (!body) throw new AppError(400, 'validation_failed', 'Send the export file as the request body');
      const dir = await mkdtemp(path.join(tmpdir(), 'parley-upload-'));
      try {
        const file = path.join(dir, 'upload');
        const size = await saveUpload(body, file);
        if (size === 0) throw new AppError(400, 'validation_failed', 'The uploaded file is empty');
      } catch (error) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
      const file = path.join(dir, 'upload');
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      return stream(c, async (out) => {
        try {
          let last = 0;
          const report = await importComments(deps.store, [file], {
            site,
            format: query.format,
            dryRun: yes(query.dryRun),
            withPingbacks: yes(query.withPingbacks),
            mapUrl,
            secret: deps.secret,
            afterImport: deps.afterImport,
            onProgress: (p) => {
              const now = Date.now();
              if (now - last < 250 && p.bytesRead < p.totalBytes) return;
              last = now;
              void out.write(`${JSON.stringify({ type: 'progress', bytesRead: p.bytesRead, totalBytes: p.totalBytes, comments: p.comments })}\n`);
            },
          });
          report.files = report.files.map((entry) => ({ ...entry, path: 'upload' }));
          for (const item of report.skipped) item.file = 'upload';
          for (const item of report.reparented) item.file = 'upload';
          const failed = report.files.some((f) => f.error !== undefined) || report.skipped.some((s) => s.failure);
          await out.write(`${JSON.stringify({ type: 'report', failed, report })}\n`);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    })
    .get('/export', noStore(), requireAdmin, validate('query', ExportQuerySchema), async (c) => {
      const query = c.req.valid('query');
      const site = deps.sites.get(query.site).id;
      assertSiteAccess(c, site);
      const day = new Date().toISOString().slice(0, 10);
      const disqus = query.format === 'disqus';
      c.header('content-type', disqus ? 'application/xml; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      c.header('content-disposition', `attachment; filename="parley-${site.replace(/[^\w.-]/g, '_')}-${day}.${disqus ? 'xml' : 'jsonl'}"`);
      const chunks = disqus ? exportDisqus(deps.store, { site, baseUrl: query.baseUrl }) : exportParley(deps.store, { site, ...(deps.sites.strict ? { settings: deps.sites.find(site) } : {}) });
      return stream(c, async (out) => {
        for await (const chunk of chunks) await out.write(chunk);
      });
    });
}

async function saveUpload(body: ReadableStream<Uint8Array>, file: string): Promise<number> {
  const sink = createWriteStream(file);
  let size = 0;
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > IMPORT_UPLOAD_MAX_BYTES) throw new AppError(413, 'payload_too_large', `Uploads are limited to ${IMPORT_UPLOAD_MAX_BYTES} bytes`);
      if (!sink.write(chunk)) await once(sink, 'drain');
    }
  } finally {
    sink.end();
    await once(sink, 'close');
  }
  return size;
}
