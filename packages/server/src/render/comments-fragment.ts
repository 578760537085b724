import type { CommentNode, CommentSort, CommentThread } from '@parley/schema';
import { AUTHOR_EMAIL_MAX_LENGTH, AUTHOR_NAME_MAX_LENGTH, COMMENT_BODY_MAX_LENGTH } from '@parley/schema';
import { commentsStyles, hostStyles, identicon, type Translation } from '@parley/widgets/ssr';
import { sanitizeCommentHtml } from '../services/markdown.ts';
import { escapeHtml as e, jsonForScript, templateToHtml } from './html.ts';
import { discussionJsonLd, type PageFacts } from './json-ld.ts';
import { lightDomCss } from './light-dom-css.ts';

/**
 * Stands for the form's token in a rendered fragment kept for reuse: it starts with `<`, which
 * every piece of reader content has escaped, so only the template can contain it.
 */
export const FORM_TOKEN_SLOT = '<parley-form-token>';
/** Where the element's first page, as `GET /api/comments` answered it, travels to the widget. */
export const FIRST_PAGE_ATTRIBUTE = 'data-parley-first-page';
/** The element's default `max-depth`: the markup nests replies as the element will. */
const MAX_DEPTH = 4;
const HEART = '<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M8 14S1.5 10 1.5 5.5a3.2 3.2 0 0 1 6.5-1 3.2 3.2 0 0 1 6.5 1C14.5 10 8 14 8 14z"/></svg>';
/**
 * Controls that need script take the room the element will give them (so nothing moves when it
 * takes over) but are not shown; in a row, they come last, so the visible items sit together.
 */
const SCRIPT_ONLY = 'data-ssr-hidden aria-hidden="true"';
/**
 * A form control that works once the element is defined, before its writing tools load (the
 * element keeps this form, slotted, until they take over): hidden while it is not.
 */
const WITH_SCRIPT = 'data-ssr-script';

let stylesheet: string | undefined;
function css(): string {
  stylesheet ??= [
    lightDomCss('parley-comments', [hostStyles, commentsStyles]),
    'parley-comments[data-parley-ssr] [data-ssr-hidden],parley-comments[data-parley-ssr]:not(:defined) [data-ssr-script]{visibility:hidden}',
    // The honeypot clipped to nothing where it stands: `left:-100vw` widens an RTL page to twice its width.
    'parley-comments[data-parley-ssr] .trap{left:auto;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}',
  ].join('\n');
  return stylesheet;
}

export interface CommentsFragmentInput {
  thread: CommentThread;
  t: Translation;
  site: string;
  sort: CommentSort;
  /** `gravatar` when the thread was read with `avatars=gravatar` (the element gets the same attribute). */
  avatars?: 'gravatar' | undefined;
  /** Absolute URL the form posts to (`POST /render/comments` of this server). */
  action: string;
  /** The signed fill-time token for the form. */
  token: string;
  heading?: string | undefined;
  lang?: string | undefined;
  /** The element's `server` attribute, when the page must be told where Parley is. */
  server?: string | undefined;
  /** The page's URL and title, for the structured data and the form's return address. */
  facts: PageFacts;
}

/**
 * `<parley-comments>` with its first screen inside, as light-DOM children: readable and styled
 * without script, posting through a plain form. The element adopts the first page from the JSON
 * child when it upgrades, then draws the same thread in its shadow root (which hides this markup),
 * except the form: the element slots it until its writing tools load and take over what was typed.
 */
export function renderCommentsFragment(input: CommentsFragmentInput): string {
  const { thread, t, site, sort } = input;
  const attributes = [
    ['site', site],
    ['page', thread.page],
    ['loading', 'eager'],
    ...(sort !== 'oldest' ? [['sort', sort]] : []),
    ...(input.avatars ? [['avatars', input.avatars]] : []),
    ...(input.heading ? [['heading', input.heading]] : []),
    ...(input.lang ? [['lang', input.lang]] : []),
    ...(input.server ? [['server', input.server]] : []),
  ].map(([name, value]) => ` ${name}="${e(value!)}"`).join('');
  const heading = input.heading || t.commentsHeading;
  return `<parley-comments data-parley-ssr${attributes}>
<style>${css()}</style>
<script type="application/json" ${FIRST_PAGE_ATTRIBUTE}${input.avatars ? `="${input.avatars}"` : ''}>${jsonForScript(thread)}</script>
<script type="application/ld+json">${jsonForScript(discussionJsonLd(thread, input.facts, t.anonymous))}</script>
<section aria-labelledby="parley-comments-heading" dir="${t.$dir}">
<h2 id="parley-comments-heading" part="heading">${e(heading)}</h2>
${renderForm(input, heading)}
<div class="thread">${renderThread(thread, t, sort)}</div>
<div role="status" class="visually-hidden"></div>
</section>
</parley-comments>`;
}

function renderForm({ t, site, thread, action, token, facts }: CommentsFragmentInput, heading: string): string {
  const identityField = (field: 'name' | 'email', label: string, max: number, hint?: string) => `<div class="field">
<label for="parley-${field}">${e(label)} <span class="muted">${e(t.optional)}</span></label>
<input id="parley-${field}" name="${field}" type="${field === 'email' ? 'email' : 'text'}" autocomplete="${field}" maxlength="${max}"${hint ? ` aria-describedby="parley-${field}-hint"` : ''}>
${hint ? `<p class="hint muted" id="parley-${field}-hint">${e(hint)}</p>` : ''}
</div>`;
  return `<form part="form" class="form" method="post" action="${e(action)}" aria-label="${e(heading)}">
<input type="hidden" name="site" value="${e(site)}"><input type="hidden" name="page" value="${e(thread.page)}"><input type="hidden" name="token" value="${token === FORM_TOKEN_SLOT ? token : e(token)}">${facts.url ? `<input type="hidden" name="return" value="${e(facts.url)}">` : ''}
<div class="trap" aria-hidden="true"><label for="parley-hp">${e(t.honeypotLabel)}</label><input id="parley-hp" name="website" tabindex="-1" autocomplete="off"></div>
<div class="field">
<div class="tabs"><label for="parley-body">${e(t.bodyLabel)}</label><button type="button" part="tab" ${SCRIPT_ONLY} tabindex="-1" disabled>${e(t.write)}</button><button type="button" part="tab" ${SCRIPT_ONLY} tabindex="-1" disabled>${e(t.preview)}</button></div>
<textarea id="parley-body" name="body" part="textarea" rows="4" required maxlength="${COMMENT_BODY_MAX_LENGTH}" aria-describedby="parley-md"></textarea>
<p class="hint muted" id="parley-md">${e(t.markdownHint)}</p>
</div>
<div class="identity">
${identityField('name', t.nameLabel, AUTHOR_NAME_MAX_LENGTH)}
${identityField('email', t.emailLabel, AUTHOR_EMAIL_MAX_LENGTH, t.emailHint)}
<label class="check" ${WITH_SCRIPT}><input type="checkbox" name="remember"> ${e(t.remember)}</label>
</div>
<div class="actions"><button type="submit" class="button" part="submit">${e(t.submit)}</button></div>
</form>`;
}

function renderThread(thread: CommentThread, t: Translation, sort: CommentSort): string {
  if (!thread.comments.length) return `<p class="empty muted">${e(t.noComments)}</p><div class="banner"></div>`;
  const sorts: Array<[CommentSort, string]> = [['oldest', t.sortOldest], ['newest', t.sortNewest], ['top', t.sortTop]];
  // The element shows relative times ("2 days ago"), which a cached or prebuilt page cannot keep
  // true; a short date is about as wide, so the header wraps as the element's will.
  const thisYear = new Date().getUTCFullYear();
  const short = new Intl.DateTimeFormat(t.$code, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const full = new Intl.DateTimeFormat(t.$code, { dateStyle: 'medium', timeZone: 'UTC' });
  const date = { format: (value: Date) => (value.getUTCFullYear() === thisYear ? short : full).format(value) };
  return `<div class="toolbar"><h3 class="count" part="count">${e(t.commentCount(thread.total))}</h3><label ${SCRIPT_ONLY}>${e(t.sortLabel)} <select part="sort" tabindex="-1" disabled>${sorts
    .map(([value, label]) => `<option value="${value}"${value === sort ? ' selected' : ''}>${e(label)}</option>`)
    .join('')}</select></label></div>
<div class="banner"></div>
<ol class="comments">${thread.comments.map((node) => renderComment(node, t, date, 1)).join('')}</ol>${
    thread.nextCursor ? `<button type="button" class="button secondary" part="more-button" ${SCRIPT_ONLY} tabindex="-1" disabled>${e(t.moreComments)}</button>` : ''
  }`;
}

type DateFormat = { format(value: Date): string };

function descendants(node: CommentNode): number {
  return node.replies.reduce((sum, reply) => sum + 1 + descendants(reply), 0);
}

/** Descendants in reading order with the name each one answers (the element's flat mode past `max-depth`). */
function flatten(node: CommentNode, anonymous: string): Array<[CommentNode, string]> {
  return node.replies.flatMap((reply): Array<[CommentNode, string]> => [[reply, node.author.name || anonymous], ...flatten(reply, anonymous)]);
}

function renderComment(node: CommentNode, t: Translation, date: DateFormat, depth: number, parentName?: string, leaf = false): string {
  const { id } = node;
  const deleted = node.status === 'deleted';
  const name = node.author.name || t.anonymous;
  const created = new Date(node.createdAt);
  const present = descendants(node);
  const flat = depth >= MAX_DEPTH;
  const header = `<header part="meta">${deleted ? '' : `<span part="avatar" class="avatar">${templateToHtml(identicon(node.author.avatar))}</span>`}<span class="author" part="author" id="author-${id}">${e(deleted ? t.deleted : name)}</span>${
    parentName ? `<span class="muted" part="in-reply-to">${e(t.inReplyTo(parentName))}</span>` : ''
  }<a href="#comment-${id}" part="permalink"><time part="time" datetime="${e(node.createdAt)}" title="${e(t.dateTime(created))}">${e(date.format(created))}</time></a>${
    node.editedAt && !deleted ? `<span class="muted" part="edited">${e(t.edited)}</span>` : ''
  }</header>`;
  const body = deleted
    ? ''
    : `<div class="body" part="body">${sanitizeCommentHtml(node.html)}</div><div class="actions" part="actions"><span class="link-button like" part="like-button">${HEART}<span class="visually-hidden">${e(t.like)}</span> ${node.likes}</span>${
        !leaf && node.replies.length ? `<span class="link-button" part="collapse-button">${e(t.replies(present))}</span>` : ''
      }<button type="button" class="link-button" part="reply-button" ${SCRIPT_ONLY} tabindex="-1" disabled>${e(t.reply)}</button><button type="button" class="link-button" part="report-button" ${SCRIPT_ONLY} tabindex="-1" disabled>${e(t.report)}</button></div>`;
  const replies =
    node.replies.length && !leaf
      ? `<ol class="${flat ? 'replies flat' : 'replies'}" id="replies-${id}">${
          flat
            ? flatten(node, t.anonymous).map(([reply, to]) => renderComment(reply, t, date, depth, to, true)).join('')
            : node.replies.map((reply) => renderComment(reply, t, date, depth + 1)).join('')
        }</ol>`
      : '';
  const more =
    depth === 1 && node.replyCount > present
      ? `<button type="button" class="link-button more-replies" part="more-replies-button" ${SCRIPT_ONLY} tabindex="-1" disabled>${e(t.moreReplies(node.replyCount - present))}</button>`
      : '';
  return `<li><article id="comment-${id}" part="comment${deleted ? ' deleted' : ''}" aria-labelledby="author-${id}">${header}${body}</article>${replies}${more}</li>`;
}
