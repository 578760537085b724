import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { AppError } from '../lib/errors.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The console runs only its own code: no inline scripts, no third parties, never framed. */
export const CONSOLE_CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

/** Built assets have content hashes in their names: cache them for a year. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';
/** index.html names the current assets: always revalidate it. */
const PAGE_CACHE = 'no-cache';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json']);
/** Asset names as Vite writes them: no dots at the start, no slashes, no `..`. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

interface CachedFile {
  mtimeMs: number;
  size: number;
  etag: string;
  type: string;
  encodings: { identity: Uint8Array; gzip?: Uint8Array; br?: Uint8Array };
}

/** Reads built files into memory once per build (a stat per request notices a rebuild), compressed once. */
function fileCache() {
  const files = new Map<string, CachedFile>();
  return async function load(filePath: string): Promise<CachedFile | undefined> {
    let info;
    try {
      info = await stat(filePath);
    } catch {
      files.delete(filePath);
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const cached = files.get(filePath);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const content = new Uint8Array(await readFile(filePath));
    const extension = path.extname(filePath).toLowerCase();
    const entry: CachedFile = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      etag: `"${createHash('sha256').update(content).digest('base64url')}"`,
      type: TYPES[extension] ?? 'application/octet-stream',
      encodings: { identity: content },
    };
    if (COMPRESSIBLE.has(extension) && content.byteLength > 1024) {
      const [gzipped, brotli] = await Promise.all([
        gzipAsync(content, { level: 9 }),
        brotliAsync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
      ]);
      entry.encodings.gzip = new Uint8Array(gzipped);
      entry.encodings.br = new Uint8Array(brotli);
    }
    files.set(filePath, entry);
    return entry;
  };
}

function send(c: Context, file: CachedFile, cacheControl: string) {
  c.header('Cache-Control', cacheControl);
  c.header('ETag', file.etag);
  c.header('Vary', 'Accept-Encoding', { append: true });
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === file.etag || tag.trim() === '*')) {
    return c.body(null, 304);
  }
  const accepted = (c.req.header('accept-encoding') ?? '').toLowerCase();
  const encoding = file.encodings.br && /\bbr\b/.test(accepted) ? 'br' : file.encodings.gzip && /\bgzip\b/.test(accepted) ? 'gzip' : 'identity';
  if (encoding !== 'identity') c.header('Content-Encoding', encoding);
  c.header('Content-Type', file.type);
  return c.body(file.encodings[encoding] as Uint8Array<ArrayBuffer>, 200);
}

/**
 * `GET /admin` and below: the site owner's console, built into `consoleDir` (PARLEY_CONSOLE_DIR).
 * `/admin/assets/<file>` are the hashed bundles; every other path is a client route and gets
 * index.html. All answers carry the console's Content-Security-Policy.
 */
export function consoleRoutes(consoleDir: string) {
  const load = fileCache();
  const assetsDir = path.join(consoleDir, 'assets');
  return new Hono()
    .use(async function consoleHeaders(c, next) {
      await next();
      c.header('Content-Security-Policy', CONSOLE_CSP);
      c.header('X-Content-Type-Options', 'nosniff');
      c.header('Referrer-Policy', 'same-origin');
      if (c.res.status >= 400) c.header('Cache-Control', 'no-store');
    })
    .get('/assets/:file', async (c) => {
      const name = c.req.param('file');
      const file = ASSET_NAME.test(name) ? await load(path.join(assetsDir, name)) : undefined;
      if (!file) throw new AppError(404, 'not_found', `No console asset named ${name}`);
      return send(c, file, ASSET_CACHE);
    })
    .get('/*', async (c) => {
      const file = await load(path.join(consoleDir, 'index.html'));
      if (!file) {
        throw new AppError(503, 'not_found', `The console is missing at ${consoleDir}: run \`pnpm build\` (or set PARLEY_CONSOLE_DIR)`);
      }
      return send(c, file, PAGE_CACHE);
    });
}
