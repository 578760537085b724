import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { Hono, type Context } from 'hono';
import { AppError } from '../lib/errors.ts';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

interface CachedAsset {
  mtimeMs: number;
  size: number;
  etag: string;
  /** The file as built, gzip and brotli: compressed once per build, not per request. */
  encodings: { identity: Uint8Array; gzip: Uint8Array; br: Uint8Array };
}

/**
 * Serves one built file from memory. A cheap stat per request notices a rebuild;
 * a missing file is not cached, so running `pnpm build` later needs no restart.
 */
function assetLoader(filePath: string, missingMessage: string) {
  let cached: CachedAsset | undefined;
  return async function loadAsset(): Promise<CachedAsset> {
    let info;
    try {
      info = await stat(filePath);
    } catch {
      cached = undefined;
      throw new AppError(503, 'not_found', missingMessage);
    }
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const content = new Uint8Array(await readFile(filePath));
    const [gzipped, brotli] = await Promise.all([
      gzipAsync(content, { level: 9 }),
      brotliAsync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }),
    ]);
    const etag = `"${createHash('sha256').update(content).digest('base64url')}"`;
    cached = {
      mtimeMs: info.mtimeMs,
      size: info.size,
      etag,
      encodings: { identity: content, gzip: new Uint8Array(gzipped), br: new Uint8Array(brotli) },
    };
    return cached;
  };
}

/** True when an If-None-Match header lists this ETag (weak or strong), or is `*`. */
function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '').replace(/-(gzip|br)"$/, '"');
    return candidate === '*' || candidate === etag;
  });
}

function pickEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | 'identity' {
  const accepted = (acceptEncoding ?? '').toLowerCase();
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return 'identity';
}

async function sendAsset(c: Context, asset: CachedAsset) {
  // Any site may load the scripts, and module scripts from another origin need CORS.
  c.header('Access-Control-Allow-Origin', '*');
  c.header('Cache-Control', 'public, max-age=300');
  c.header('Vary', 'Accept-Encoding', { append: true });
  c.header('ETag', asset.etag);
  if (matchesEtag(c.req.header('if-none-match'), asset.etag)) return c.body(null, 304);
  const encoding = pickEncoding(c.req.header('accept-encoding'));
  if (encoding !== 'identity') c.header('Content-Encoding', encoding);
  c.header('Content-Type', 'text/javascript; charset=utf-8');
  return c.body(asset.encodings[encoding] as Uint8Array<ArrayBuffer>, 200);
}

/** `GET /embed.js`: the widgets bundle. */
export function embedRoutes(embedFile: string) {
  const loadBundle = assetLoader(
    embedFile,
    `The widgets bundle is missing at ${embedFile}: run \`pnpm build\` (or set PARLEY_EMBED_FILE)`,
  );
  return new Hono().get('/', async (c) => sendAsset(c, await loadBundle()));
}

/**
 * Languages other than English, and parts of a widget needed only later (card impressions, page
 * discovery), are chunks the bundle imports on demand, next to embed.js: plain names, no paths.
 */
const LANGUAGE_FILE = /^[a-z0-9]+(?:-[a-z0-9]+)*\.js$/i;

/** `GET /i18n/<lang>.js`: the on-demand language chunks built beside embed.js. */
export function languageChunkRoutes(embedFile: string) {
  const directory = path.join(path.dirname(embedFile), 'i18n');
  const loaders = new Map<string, ReturnType<typeof assetLoader>>();
  return new Hono().get('/:file', async (c) => {
    const file = c.req.param('file');
    if (!LANGUAGE_FILE.test(file)) throw new AppError(404, 'not_found', `No language chunk named ${file}`);
    let load = loaders.get(file);
    if (!load) {
      load = assetLoader(path.join(directory, file), `No language chunk named ${file}`);
      loaders.set(file, load);
    }
    try {
      return await sendAsset(c, await load());
    } catch (error) {
      loaders.delete(file);
      if (error instanceof AppError) throw new AppError(404, 'not_found', `No language chunk named ${file}`);
      throw error;
    }
  });
}
