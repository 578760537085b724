/**
 * What `<parley-related>` does once its cards are on screen, loaded as a separate chunk (none of
 * it is needed to show the cards): report the cards a reader actually saw, and keep rows balanced.
 */
import { balancedColumns } from './columns.ts';

/** A card as the impressions beacon names it. */
export interface SeenCard {
  target: string;
  position: number;
}

/**
 * Watches `cards` (the `<li>`s of `list`, each with `data-target`): a card counts as seen when
 * half of it is on screen; the cards seen go out in one `send` a second after the last one
 * appears, or at once when the page is hidden. Each card once. Also sets `--_columns` on the
 * list when its width would leave one card alone on the last row. Returns the way to stop.
 */
export function watchCards(list: HTMLElement, send: (seen: SeenCard[]) => void, delayMs = 1000): () => void {
  const cards = [...list.querySelectorAll<HTMLElement>('li[data-target]')];
  let pending: SeenCard[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    if (pending.length) send(pending);
    pending = [];
  };
  const onHide = () => document.visibilityState === 'hidden' && flush();
  const seen = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        seen.unobserve(entry.target);
        const element = entry.target as HTMLElement;
        pending.push({ target: element.dataset.target!, position: cards.indexOf(element) });
        clearTimeout(timer);
        timer = setTimeout(flush, delayMs);
      }
    },
    { threshold: 0.5 },
  );
  for (const card of cards) seen.observe(card);
  document.addEventListener('visibilitychange', onHide);

  let width = -1;
  const resized = new ResizeObserver(([entry]) => {
    // Only a change of width matters (balancing changes the height); applying it in the next
    // frame keeps the observer from seeing its own change within one frame.
    if (!entry || entry.contentRect.width === width) return;
    width = entry.contentRect.width;
    requestAnimationFrame(() => {
      list.style.removeProperty('--_columns');
      const natural = getComputedStyle(list).gridTemplateColumns.split(' ').length;
      const columns = balancedColumns(cards.length, natural);
      if (columns !== natural) list.style.setProperty('--_columns', `repeat(${columns},minmax(0,1fr))`);
    });
  });
  resized.observe(list);

  return () => {
    flush();
    seen.disconnect();
    resized.disconnect();
    document.removeEventListener('visibilitychange', onHide);
  };
}
