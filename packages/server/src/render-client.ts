/**
 * Fetches Parley's server-rendered widgets (`GET /render/comments`, `GET /render/related`) for a
 * site's own server or static build, and puts them into pages. Standalone on purpose (only
 * `fetch`): import it as `@parley/server/render-client`, or copy this file into a site.
 *
 * Caching: each fragment is kept in memory with its ETag. Within `maxAgeMs` it is used as is; after
 * that the next use asks again with `If-None-Match`, which Parley answers 304 while the thread is
 * unchanged (cheap). When Parley cannot be reached, the last good copy is used (up to
 * `staleIfErrorMs`); with none, an empty element is returned, which the embed script fills in the
 * reader's browser as usual: a page never fails because of its comments.
 *
 * ```ts
 * const parley = createRenderClient({ server: 'http://127.0.0.1:8787', site: 'news' });
 * const html = await parley.inline(pageHtml, { page: '/articles/x.html' });
 * ```
 */

export interface RenderClientOptions {
  /** The Parley server, as this process reaches it (may be an internal address). */
  server: string;
  /** The site id on the Parley server (default `default`). */
  site?: string;
  /** Parley's address as readers' browsers reach it, when `server` is an internal one. */
  publicServer?: string;
  /** Language of the rendered text (`de`, `fr`…); default English. */
  lang?: string;
  /** How long a fetched fragment is used without asking again; default 0 (every use revalidates). */
  maxAgeMs?: number;
  /** How long the last good fragment may stand in while Parley is unreachable; default one day. */
  staleIfErrorMs?: number;
  /** Fragments kept in memory (least recently used go first); default 500. */
  maxEntries?: number;
  /** Gives up on Parley after this long; default 3 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CommentsFragmentOptions {
  /** The page's absolute URL (the no-JS form returns there; the structured data names it). */
  url?: string;
  heading?: string;
  sort?: 'oldest' | 'newest' | 'top';
  /** `gravatar`, as the element's `avatars` attribute: the element then takes the first page over without asking again. */
  avatars?: 'gravatar';
  /** This fragment's language, when it differs from the client's `lang`. */
  lang?: string;
}

export interface RelatedFragmentOptions {
  limit?: number;
  /** This fragment's language, when it differs from the client's `lang`. */
  lang?: string;
  heading?: string;
}

interface Entry {
  html: string;
  etag: string | null;
  fetchedAt: number;
}

const TAGS = /<(parley-comments|parley-related)\b([^>]*)>\s*<\/\1>/g;
const ATTRIBUTE = /([a-z-]+)(?:="([^"]*)")?/gi;

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function decodeAttribute(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

export function createRenderClient(options: RenderClientOptions) {
  const server = options.server.replace(/\/+$/, '');
  const site = options.site ?? 'default';
  const maxAgeMs = options.maxAgeMs ?? 0;
  const staleIfErrorMs = options.staleIfErrorMs ?? 86_400_000;
  const maxEntries = options.maxEntries ?? 500;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const fetchImpl = options.fetch ?? fetch;
  const cache = new Map<string, Entry>();

  function remember(key: string, entry: Entry): void {
    cache.delete(key);
    cache.set(key, entry);
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  }

  async function fragment(kind: 'comments' | 'related', params: Record<string, string | number | undefined>, fallback: string): Promise<string> {
    const url = new URL(`${server}/render/${kind}`);
    for (const [name, value] of Object.entries({ site, lang: options.lang, server: options.publicServer, ...params })) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    const key = url.href;
    const cached = cache.get(key);
    const now = Date.now();
    if (cached && now - cached.fetchedAt < maxAgeMs) return cached.html;
    try {
      const response = await fetchImpl(key, {
        headers: cached?.etag ? { 'if-none-match': cached.etag } : {},
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status === 304 && cached) {
        remember(key, { ...cached, fetchedAt: now });
        return cached.html;
      }
      if (!response.ok) throw new Error(`${key} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      const html = await response.text();
      remember(key, { html, etag: response.headers.get('etag'), fetchedAt: now });
      return html;
    } catch {
      if (cached && now - cached.fetchedAt < staleIfErrorMs) return cached.html;
      return fallback;
    }
  }

  const emptyElement = (tag: string, page: string) => `<${tag} site="${escapeAttribute(site)}" page="${escapeAttribute(page)}"></${tag}>`;

  return {
    /** `<parley-comments>` with the first page of `page`'s thread inside. */
    comments(page: string, { url, heading, sort, avatars, lang }: CommentsFragmentOptions = {}): Promise<string> {
      return fragment('comments', { page, url, heading, sort, avatars, ...(lang ? { lang } : {}) }, emptyElement('parley-comments', page));
    },

    /** `<parley-related>` with the related articles of `page` as linked cards. */
    related(page: string, { limit, heading, lang }: RelatedFragmentOptions = {}): Promise<string> {
      return fragment('related', { page, limit, heading, ...(lang ? { lang } : {}) }, emptyElement('parley-related', page));
    },

    /**
     * Replaces every empty `<parley-comments data-parley-render …></parley-comments>` and
     * `<parley-related data-parley-render …>` in `html` with its server-rendered version. The
     * element's `page` attribute, else `options.page`, names the page; `heading`, `sort`, `avatars`,
     * `lang` and `limit` are passed on (the element then takes over what was drawn without asking
     * again); other attributes (`theme`, `max-depth`…) are kept on the element.
     */
    async inline(html: string, { page, url }: { page: string; url?: string }): Promise<string> {
      const found = [...html.matchAll(TAGS)].filter((match) => /\bdata-parley-render\b/.test(match[2]!));
      const rendered = await Promise.all(
        found.map(async ([, tag, rawAttributes]) => {
          const attributes = new Map<string, string>();
          for (const [, name, value] of rawAttributes!.matchAll(ATTRIBUTE)) attributes.set(name!.toLowerCase(), decodeAttribute(value ?? ''));
          const own = attributes.get('page') || page;
          const heading = attributes.get('heading') || undefined;
          const lang = attributes.get('lang') || undefined;
          const fragmentHtml =
            tag === 'parley-comments'
              ? await this.comments(own, {
                  url,
                  heading,
                  sort: (attributes.get('sort') || undefined) as CommentsFragmentOptions['sort'],
                  ...(attributes.get('avatars') === 'gravatar' ? { avatars: 'gravatar' as const } : {}),
                  ...(lang ? { lang } : {}),
                })
              : await this.related(own, { heading, ...(lang ? { lang } : {}), ...(attributes.get('limit') ? { limit: Number(attributes.get('limit')) } : {}) });
          const handled = new Set(['data-parley-render', 'page', 'site', 'heading', 'sort', 'limit', 'loading', 'lang', ...(tag === 'parley-comments' ? ['avatars'] : [])]);
          const extra = [...attributes].filter(([name]) => !handled.has(name) && !new RegExp(`\\s${name}(=|\\s|>)`).test(fragmentHtml.slice(0, fragmentHtml.indexOf('>') + 1)));
          const extraText = extra.map(([name, value]) => (value ? ` ${name}="${escapeAttribute(value)}"` : ` ${name}`)).join('');
          return fragmentHtml.replace(new RegExp(`^<${tag}\\b`), `<${tag}${extraText}`);
        }),
      );
      let index = 0;
      return html.replace(TAGS, (match, _tag: string, rawAttributes: string) => (/\bdata-parley-render\b/.test(rawAttributes) ? rendered[index++]! : match));
    },
  };
}

export type RenderClient = ReturnType<typeof createRenderClient>;
