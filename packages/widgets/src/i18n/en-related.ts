import { buildTranslation } from './build.ts';
import { en } from './en.ts';
import type { Translation, TranslationData } from './translation.ts';

/** The English strings only `<parley-related>` shows: in its chunk, not in the first load of a comments page (`en.ts`). */
const related = {
  relatedHeading: 'You may also like',
  loadRelatedError: 'Related articles could not be loaded.',
  noRelated: 'No related articles yet.',
} satisfies Partial<TranslationData>;

export type RelatedKey = keyof typeof related;

/** Adds the related list's strings to `en` (idempotent) and returns it. */
export function completeEnglishRelated(): Translation {
  return Object.assign(en, buildTranslation({ ...related, $code: 'en', $dir: 'ltr' } as TranslationData));
}
