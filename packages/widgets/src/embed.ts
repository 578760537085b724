/**
 * The script-tag entry (`<script type="module" src="https://COMMENTS-HOST/embed.js">`):
 * defines every Parley element once, even when the script is included twice.
 *
 * `<parley-comments>` is in this file; `<parley-related>` and `<parley-count>` are chunks of their
 * own, each loaded when the page has such an element (now or later), so a page that shows only
 * comments downloads neither. The comment form's writing tools are another chunk, loaded on first use.
 */
import { ParleyComments } from './components/comments/comments.ts';
import type { ParleyCount } from './components/count/count.ts';
import type { ParleyRelated } from './components/related/related.ts';

/** Defined at once. */
const elements: Array<[string, CustomElementConstructor]> = [['parley-comments', ParleyComments]];
/** Defined from a chunk of their own once the page has one. */
const onDemand: Array<[string, () => Promise<CustomElementConstructor>]> = [
  ['parley-related', () => import('./components/related/related.ts').then((module) => module.ParleyRelated)],
  ['parley-count', () => import('./components/count/count.ts').then((module) => module.ParleyCount)],
];

function define(name: string, constructor: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, constructor);
}

/**
 * Runs `load` once the document has a `name` element: at once when it has, else when one is
 * added. Elements inside other shadow roots are not seen: such sites import the classes from
 * the npm package instead.
 */
function whenUsed(name: string, load: () => Promise<CustomElementConstructor>): void {
  const start = () => {
    observer.disconnect();
    if (!customElements.get(name)) void load().then((constructor) => define(name, constructor));
  };
  const observer = new MutationObserver(() => document.querySelector(name) && start());
  if (document.querySelector(name)) start();
  else observer.observe(document, { childList: true, subtree: true });
}

for (const [name, constructor] of elements) define(name, constructor);
for (const [name, load] of onDemand) whenUsed(name, load);

declare global {
  interface HTMLElementTagNameMap {
    'parley-comments': ParleyComments;
    'parley-related': ParleyRelated;
    'parley-count': ParleyCount;
  }
}
