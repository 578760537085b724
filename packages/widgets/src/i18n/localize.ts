import type { Translation } from './translation.ts';
import { buildTranslation } from './build.ts';
import { en } from './en.ts';

const translations = new Map<string, Translation>([[en.$code, en]]);
type LanguageModule = { default: Parameters<typeof buildTranslation>[0] };
/**
 * Languages shipped as separate chunks next to `embed.js`, loaded the first time a widget needs
 * one. Spelled out (not a template `import()`), so the bundle needs no dynamic-import helper.
 */
const LAZY: Record<string, () => Promise<LanguageModule>> = {
  de: () => import('./lang/de.ts'),
  es: () => import('./lang/es.ts'),
  fr: () => import('./lang/fr.ts'),
  pl: () => import('./lang/pl.ts'),
  uk: () => import('./lang/uk.ts'),
};
const loading = new Map<string, Promise<unknown>>();

/** Makes a language available to every Parley widget on the page. */
export function registerTranslation(...list: Translation[]): void {
  for (const translation of list) translations.set(translation.$code.toLowerCase(), translation);
}

/** The element's language: its `lang`, else the nearest `[lang]` ancestor, else `<html lang>`. */
export function languageOf(element: Element): string {
  const own = element.closest('[lang]')?.getAttribute('lang');
  return own || document.documentElement.lang || 'en';
}

/** Loads one of the bundled languages (`de`, `es`, `fr`, `pl`, `uk`); resolves at once for the others. */
export function loadLanguage(code: string): Promise<unknown> {
  const load = Object.hasOwn(LAZY, code) && LAZY[code];
  if (!load || translations.has(code)) return Promise.resolve();
  let promise = loading.get(code);
  if (!promise) {
    promise = load().then(
      (module) => registerTranslation(buildTranslation(module.default)),
      () => loading.delete(code),
    );
    loading.set(code, promise);
  }
  return promise;
}

/**
 * The best translation for `element`: exact code, then the primary subtag (`pt` for `pt-BR`), then
 * English. A bundled language that is not loaded yet starts loading and the element (a Lit
 * element) updates when it arrives; until then it reads English.
 */
export function localize(element: Element): Translation {
  const lang = languageOf(element).toLowerCase();
  const primary = lang.split('-')[0]!;
  const found = translations.get(lang) ?? translations.get(primary);
  if (found) return found;
  if (Object.hasOwn(LAZY, primary)) void loadLanguage(primary).then(() => (element as Element & { requestUpdate?: () => void }).requestUpdate?.());
  return en;
}

export type { Translation };
