/**
 * The npm entry: the element classes, undefined. Register them under the names you like, or
 * import `@parley/widgets/embed.js` to get `<parley-comments>`, `<parley-related>` and `<parley-count>`.
 */
export { ParleyComments } from './components/comments/comments.ts';
export { ParleyRelated } from './components/related/related.ts';
export { ParleyCount } from './components/count/count.ts';
export { ParleyCommentPostedEvent, ParleyCommentEditedEvent, ParleyCommentDeletedEvent, ParleyCommentsLoadedEvent } from './events/index.ts';
export { ApiError } from './controllers/api-client.ts';
export { pageIdentity } from './controllers/page-identity.ts';
export { serverOrigin } from './controllers/server-origin.ts';
export { loadLanguage, localize, registerTranslation } from './i18n/localize.ts';
export { buildTranslation } from './i18n/build.ts';
export type { Plural, Translation, TranslationData } from './i18n/translation.ts';
