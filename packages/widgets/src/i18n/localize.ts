import type { Translation } from './translation.ts';
import { en } from './en.ts';

const translations = new Map<string, Translation>([[en.$code, en]]);

/** Makes a language available to every Parley widget on the page. */
export function registerTranslation(...list: Translation[]): void {
  for (const translation of list) translations.set(translation.$code.toLowerCase(), translation);
}

/** The element's language: its `lang`, else the nearest `[lang]` ancestor, else `<html lang>`. */
export function languageOf(element: Element): string {
  const own = element.closest('[lang]')?.getAttribute('lang');
  return own || document.documentElement.lang || 'en';
}

/** The best translation for `element`: exact code, then the primary subtag (`pt` for `pt-BR`), then English. */
export function localize(element: Element): Translation {
  const lang = languageOf(element).toLowerCase();
  return translations.get(lang) ?? translations.get(lang.split('-')[0]!) ?? en;
}

export type { Translation };
