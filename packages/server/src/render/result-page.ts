import type { Translation } from '@parley/widgets/ssr';
import { AUTHOR_EMAIL_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH, COMMENT_BODY_MAX_LENGTH } from '@parley/schema';
import { escapeHtml as e } from './html.ts';

export interface ResultPageInput {
  t: Translation;
  /** What happened, in the reader's words (the refusal reason, or "waiting for approval"). */
  message: string;
  /** True when the comment was refused (the form comes back filled in). */
  refused: boolean;
  /** Where "Back to the page" goes; absent when the return address was not acceptable. */
  back?: string | undefined;
  /** To try again: the form's fields as sent, with a fresh token. */
  retry?: { action: string; site: string; page: string; token: string; returnTo?: string | undefined; name?: string | undefined; email?: string | undefined; body: string } | undefined;
}

/**
 * The small page a reader without script sees when a comment cannot go straight back to the
 * article: refused (the reason, and the text kept in a form to try again) or held for approval.
 */
export function renderResultPage({ t, message, refused, back, retry }: ResultPageInput): string {
  const form = retry
    ? `<form method="post" action="${e(retry.action)}">
<input type="hidden" name="site" value="${e(retry.site)}"><input type="hidden" name="page" value="${e(retry.page)}"><input type="hidden" name="token" value="${e(retry.token)}">${retry.returnTo ? `<input type="hidden" name="return" value="${e(retry.returnTo)}">` : ''}
<p class="trap" aria-hidden="true"><label>${e(t.honeypotLabel)} <input name="website" tabindex="-1" autocomplete="off"></label></p>
<p><label>${e(t.nameLabel)} ${e(t.optional)}<br><input name="name" maxlength="${AUTHOR_NAME_MAX_LENGTH}" value="${e(retry.name ?? '')}"></label></p>
<p><label>${e(t.emailLabel)} ${e(t.optional)}<br><input name="email" type="email" maxlength="${AUTHOR_EMAIL_MAX_LENGTH}" value="${e(retry.email ?? '')}"></label></p>
<p><label>${e(t.bodyLabel)}<br><textarea name="body" rows="6" required maxlength="${COMMENT_BODY_MAX_LENGTH}">${e(retry.body)}</textarea></label></p>
<p><button type="submit">${e(t.submit)}</button></p>
</form>`
    : '';
  return `<!doctype html>
<html lang="${e(t.$code)}" dir="${t.$dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${e(t.commentsHeading)}</title>
<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1c1e21}.error{color:#b42318}.trap{position:absolute;left:-100vw}input,textarea{width:100%;font:inherit;padding:.4em}</style>
</head>
<body>
<main>
<h1>${e(t.commentsHeading)}</h1>
<p role="${refused ? 'alert' : 'status'}"${refused ? ' class="error"' : ''}>${e(message)}</p>
${form}
${back ? `<p><a href="${e(back)}">← ${e(back)}</a></p>` : ''}
</main>
</body>
</html>`;
}
