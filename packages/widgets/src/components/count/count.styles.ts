import { css } from '../../styles/css.ts';

export const styles = css`
  :host {
    display: inline;
    font-family: var(--parley-font, inherit);
    font-size: inherit;
    line-height: inherit;
    color: var(--parley-color-text, inherit);
  }
`;
