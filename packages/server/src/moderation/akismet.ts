import type { SpamCheck, SpamCheckComment, SpamCheckContext, SpamVerdict } from './spam-check.ts';

export interface AkismetOptions {
  key: string;
  /** The site's front page, as registered with Akismet. */
  blog: string;
  /** Default `https://rest.akismet.com`; tests point it at a local fake. */
  endpoint?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Akismet's `comment-check`: POST `{endpoint}/1.1/comment-check`, form-encoded, answering the body
 * `true` (spam) or `false` (ham). Anything else — an `invalid` key, a 5xx, a timeout — is `unknown`.
 */
export class AkismetSpamCheck implements SpamCheck {
  readonly name = 'akismet';
  readonly #options: Required<Omit<AkismetOptions, 'fetch'>> & { fetch: typeof fetch };

  constructor(options: AkismetOptions) {
    this.#options = {
      endpoint: 'https://rest.akismet.com',
      timeoutMs: 5_000,
      fetch: globalThis.fetch,
      ...options,
    };
  }

  async check(comment: SpamCheckComment, context: SpamCheckContext): Promise<SpamVerdict> {
    const { endpoint, key, blog, timeoutMs } = this.#options;
    const form = new URLSearchParams({
      api_key: key,
      blog,
      user_ip: context.ip,
      comment_type: comment.parentId ? 'reply' : 'comment',
      comment_content: comment.body,
    });
    const optional: Array<[string, string | null | undefined]> = [
      ['user_agent', context.userAgent],
      ['referrer', context.referrer],
      ['permalink', comment.permalink],
      ['comment_author', comment.authorName],
      ['comment_author_email', comment.authorEmail],
      ['blog_lang', context.lang],
      ['blog_charset', 'UTF-8'],
    ];
    for (const [name, value] of optional) if (value) form.set(name, value);
    try {
      const response = await this.#options.fetch(`${endpoint.replace(/\/$/, '')}/1.1/comment-check`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'user-agent': 'Parley/0.1 | Akismet' },
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = (await response.text()).trim();
      if (!response.ok) return 'unknown';
      if (text === 'true') return 'spam';
      if (text === 'false') return 'ham';
      return 'unknown';
    } catch {
      return 'unknown';
    }
  }
}
