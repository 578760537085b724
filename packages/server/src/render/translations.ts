import { buildTranslation, en, languages, type Translation } from '@parley/widgets/ssr';

const built = new Map<string, Promise<Translation>>([['en', Promise.resolve(en)]]);

/**
 * The widgets' strings for `lang`, chosen as the element chooses them (exact code, then the
 * primary subtag, then English), so the server-rendered text is what the element will show.
 */
export function translationFor(lang: string | undefined): Promise<Translation> {
  const primary = (lang ?? 'en').toLowerCase().split('-')[0]!;
  const load = Object.hasOwn(languages, primary) ? languages[primary] : undefined;
  // Only the bundled languages are kept: any other tag reads English and adds nothing to the map.
  if (!load) return Promise.resolve(en);
  let translation = built.get(primary);
  if (!translation) built.set(primary, (translation = load().then((module) => buildTranslation(module.default))));
  return translation;
}
