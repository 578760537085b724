import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Hono } from 'hono';
import { AppError } from '../lib/errors.ts';

interface CachedBundle {
  mtimeMs: number;
  size: number;
  content: Uint8Array<ArrayBuffer>;
  etag: string;
}

/**
 * Serves the widgets bundle from memory. A cheap stat per request notices a rebuild;
 * a missing file is not cached, so running `pnpm build` later needs no restart.
 */
function bundleLoader(filePath: string) {
  let cached: CachedBundle | undefined;
  return async function loadBundle(): Promise<CachedBundle> {
    let info;
    try {
      info = await stat(filePath);
    } catch {
      cached = undefined;
      throw new AppError(
        503,
        'not_found',
        `The widgets bundle is missing at ${filePath}: run \`pnpm build\` (or set PARLEY_EMBED_FILE)`,
      );
    }
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const content = new Uint8Array(await readFile(filePath));
    const etag = `"${createHash('sha256').update(content).digest('base64url')}"`;
    cached = { mtimeMs: info.mtimeMs, size: info.size, content, etag };
    return cached;
  };
}

/** True when an If-None-Match header lists this (strong) ETag, or is `*`. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}

export function embedRoutes(embedFile: string) {
  const loadBundle = bundleLoader(embedFile);
  return new Hono().get('/', async (c) => {
    // Any site may load the script, including as a module script that needs CORS.
    c.header('Access-Control-Allow-Origin', '*');
    const bundle = await loadBundle();
    c.header('ETag', bundle.etag);
    c.header('Cache-Control', 'public, max-age=300');
    if (matchesEtag(c.req.header('if-none-match'), bundle.etag)) return c.body(null, 304);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    return c.body(bundle.content, 200);
  });
}
