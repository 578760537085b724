import type { Translation, TranslationData } from './translation.ts';
import { relativeTime } from './relative-time.ts';

/** Turns {@link TranslationData} into a {@link Translation}: placeholders and plurals become functions over `Intl`. */
export function buildTranslation(data: TranslationData): Translation {
  const code = data.$code;
  const rules = new Intl.PluralRules(code);
  const dateTime = new Intl.DateTimeFormat(code, { dateStyle: 'long', timeStyle: 'short' });
  const t: Record<string, unknown> = {
    relativeTime: (date: Date, now?: Date) => relativeTime(code, date, now),
    dateTime: (date: Date) => dateTime.format(date),
  };
  for (const [key, value] of Object.entries(data)) {
    t[key] =
      typeof value === 'object'
        ? (count: number) =>
            ((count === 0 && value['=0']) || value[rules.select(count)] || value.other).replace('#', count.toLocaleString(code))
        : value.includes('{0}')
          ? (...args: string[]) => value.replace(/\{(\d)\}/g, (_: string, i: number) => args[i]!)
          : value;
  }
  return t as unknown as Translation;
}
