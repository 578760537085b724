/**
 * What the server needs to draw the widgets' first screen as plain HTML (`GET /render/*`): the
 * same styles, strings and identicons the elements use, so the server-rendered markup looks and
 * measures like the hydrated element. Nothing here touches the DOM: it runs in Node.
 */
import { css } from './styles/css.ts';
import type { TranslationData } from './i18n/translation.ts';
import { styles } from './components/comments/comments.styles.ts';
import { writerStyles } from './components/comments/writer.styles.ts';

export { hostStyles } from './styles/tokens.ts';
/** The reader's and the writing tools' styles in one: the server-rendered fragment holds a working form. */
export const commentsStyles = css`${styles}${writerStyles}`;
export { styles as relatedStyles } from './components/related/related.styles.ts';
export { identicon } from './components/comments/identicon.ts';
import { completeEnglish } from './i18n/en-writer.ts';
import { completeEnglishRelated } from './i18n/en-related.ts';
/** English with every string: the server's fragment holds a working form, and the related list. */
completeEnglishRelated();
export const en = completeEnglish();
export { buildTranslation } from './i18n/build.ts';
export type { Translation } from './i18n/translation.ts';

/** The languages the embed loads on demand, by primary subtag. */
export const languages: Record<string, () => Promise<{ default: TranslationData }>> = {
  de: () => import('./i18n/lang/de.ts'),
  es: () => import('./i18n/lang/es.ts'),
  fr: () => import('./i18n/lang/fr.ts'),
  pl: () => import('./i18n/lang/pl.ts'),
  uk: () => import('./i18n/lang/uk.ts'),
};
