import { css } from '../../styles/css.ts';

export const styles = css`
  :host {
    display: block;
    /* Room before whatever follows (the comments, a footer): sites override with margin. */
    margin-block-end: calc(var(--_space) * 2.5);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    /* --_columns: set by the element when the natural layout would leave one card alone on a row. */
    grid-template-columns: var(--_columns, repeat(auto-fill, minmax(min(100%, var(--parley-card-min-width, 13rem)), 1fr)));
    gap: var(--_space);
  }
  .card {
    display: flex;
    min-width: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
    overflow: hidden;
    transition: box-shadow 0.15s ease, transform 0.15s ease;
  }
  .card:hover {
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.12);
    transform: translateY(-2px);
  }
  a {
    display: flex;
    flex-direction: column;
    width: 100%;
    color: inherit;
    text-decoration: none;
  }
  a:focus-visible {
    outline-offset: -2px;
  }
  .image {
    display: block;
    width: 100%;
    height: auto;
    aspect-ratio: 16 / 9;
    object-fit: cover;
    background: var(--_border);
  }
  .fallback {
    background: color-mix(in srgb, var(--_accent) 12%, var(--_surface));
  }
  .text {
    display: grid;
    gap: 0.35rem;
    padding: calc(var(--_space) * 0.75);
  }
  .section {
    color: var(--_accent);
    font-size: 0.75em;
    font-weight: 700;
    letter-spacing: 0.06em;
    text-transform: uppercase;
  }
  .title {
    font-weight: 650;
    line-height: 1.3;
    /* Long headlines stop at three lines. */
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
    overflow: hidden;
  }
  a:hover .title {
    color: var(--_accent);
    text-decoration: underline;
  }
  .description {
    color: var(--_muted);
    font-size: 0.875em;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 3;
    overflow: hidden;
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    gap: 0 0.75em;
    color: var(--_muted);
    font-size: 0.8em;
  }
  .meta:empty {
    display: none;
  }
  :host([layout='list']) ul {
    grid-template-columns: 1fr;
  }
  :host([layout='list']) a {
    flex-direction: row;
    align-items: flex-start;
  }
  :host([layout='list']) .image {
    flex: 0 0 auto;
    width: 8rem;
    max-width: 33%;
  }
  :host([no-images]) .placeholder {
    min-height: 5rem;
  }
  .placeholder {
    flex-direction: column;
    min-height: 12rem;
  }
  .placeholder span {
    display: block;
    height: 1rem;
    margin: calc(var(--_space) * 0.75);
    border-radius: 0.25rem;
    background: var(--_border);
  }
  .load-error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--_space);
  }
  @media (prefers-reduced-motion: reduce) {
    .card {
      transition: none;
    }
    .card:hover {
      transform: none;
    }
  }
`;
