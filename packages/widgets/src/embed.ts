/**
 * The script-tag entry (`<script type="module" src="https://COMMENTS-HOST/embed.js">`):
 * defines every Parley element once, even when the script is included twice.
 */
import { ParleyComments } from './components/comments/comments.ts';
import { ParleyCount } from './components/count/count.ts';
import { ParleyRelated } from './components/related/related.ts';

const elements: Array<[string, CustomElementConstructor]> = [
  ['parley-comments', ParleyComments],
  ['parley-related', ParleyRelated],
  ['parley-count', ParleyCount],
];
for (const [name, constructor] of elements) {
  if (!customElements.get(name)) customElements.define(name, constructor);
}

declare global {
  interface HTMLElementTagNameMap {
    'parley-comments': ParleyComments;
    'parley-related': ParleyRelated;
    'parley-count': ParleyCount;
  }
}
