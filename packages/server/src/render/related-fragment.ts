import type { RelatedArticle } from '@parley/schema';
import { hostStyles, relatedStyles, type Translation } from '@parley/widgets/ssr';
import { escapeHtml as e, jsonForScript } from './html.ts';
import { lightDomCss } from './light-dom-css.ts';

/** Where the element's related articles, as `GET /api/related` answered them, travel to the widget. */
export const RELATED_ITEMS_ATTRIBUTE = 'data-parley-related';

let stylesheet: string | undefined;
const css = () => (stylesheet ??= lightDomCss('parley-related', [hostStyles, relatedStyles]));

/** Only http(s) URLs and root-relative paths become links or images (the element's rule). */
const safeUrl = (url: string | null): string | undefined => (url && /^(https?:\/\/|\/(?!\/))/i.test(url) ? url : undefined);

export interface RelatedFragmentInput {
  site: string;
  page: string;
  items: RelatedArticle[];
  limit: number;
  /** The element's default limit: the attribute is written only when it differs. */
  defaultLimit: number;
  t: Translation;
  heading?: string | undefined;
  lang?: string | undefined;
  server?: string | undefined;
}

/**
 * `<parley-related>` with its cards inside as light-DOM children: real links a crawler follows and
 * a reader without script clicks. Like the element, it shows nothing when there are no related
 * articles (the element is still there, with its data, to take over).
 */
export function renderRelatedFragment(input: RelatedFragmentInput): string {
  const { t, items } = input;
  const attributes = [
    ['site', input.site],
    ['page', input.page],
    ['loading', 'eager'],
    ...(input.limit !== input.defaultLimit ? [['limit', String(input.limit)]] : []),
    ...(input.heading ? [['heading', input.heading]] : []),
    ...(input.lang ? [['lang', input.lang]] : []),
    ...(input.server ? [['server', input.server]] : []),
  ].map(([name, value]) => ` ${name}="${e(value!)}"`).join('');
  const date = new Intl.DateTimeFormat(t.$code, { dateStyle: 'medium', timeZone: 'UTC' });
  const section = items.length
    ? `<section aria-labelledby="parley-related-heading" aria-busy="false" dir="${t.$dir}"><h2 id="parley-related-heading" part="heading">${e(input.heading || t.relatedHeading)}</h2><ul part="list">${items
        .map((item) => renderCard(item, t, date))
        .join('')}</ul></section>`
    : '';
  return `<parley-related data-parley-ssr${attributes}>
<style>${css()}</style>
<script type="application/json" ${RELATED_ITEMS_ATTRIBUTE}>${jsonForScript({ site: input.site, page: input.page, limit: input.limit, items })}</script>
${section}
</parley-related>`;
}

function renderCard(item: RelatedArticle, t: Translation, date: Intl.DateTimeFormat): string {
  const image = safeUrl(item.image);
  const href = safeUrl(item.url);
  return `<li class="card" part="card"><a part="link"${href ? ` href="${e(href)}"` : ''}>${
    image
      ? `<img part="image" class="image" src="${e(image)}" alt="" loading="lazy" decoding="async" width="400" height="225">`
      : '<div part="image" class="image" aria-hidden="true"></div>'
  }<span class="text">${item.section ? `<span part="section" class="section">${e(item.section)}</span>` : ''}<span part="title" class="title">${e(item.title)}</span>${
    item.description ? `<span part="description" class="description">${e(item.description)}</span>` : ''
  }<span part="meta" class="meta">${item.publishedAt ? `<time datetime="${e(item.publishedAt)}">${e(date.format(new Date(item.publishedAt)))}</time>` : ''}${
    item.commentCount > 0 ? `<span class="comments">${e(t.commentCount(item.commentCount))}</span>` : ''
  }</span></span></a></li>`;
}
