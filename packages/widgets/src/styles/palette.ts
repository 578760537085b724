/**
 * The colour palette every Parley surface shares (the widgets and the console): each token
 * becomes `--parley-color-<name>` for sites and a private `--_<name>` inside the components.
 * Plain data, so the console can import it without the widgets' styles.
 */
export type Token = [name: string, light: string, dark: string];

export const PALETTE: Token[] = [
  ['surface', '#f5f6f8', '#1f2329'],
  ['text', '#1c1e21', '#e8eaed'],
  ['muted', '#5b626c', '#a3aab4'],
  ['accent', '#2557d6', '#8ab4ff'],
  ['accent-text', '#fff', '#0b1220'],
  ['border', '#d9dde3', '#3a404a'],
  ['danger', '#b42318', '#ff8a80'],
  ['field', '#fff', '#15181c'],
  ['highlight', '#fff3bf', '#4d3f0f'],
];

/** `--_name:var(--parley-color-name,<default>);` for each token, the default picked by `value`. */
export const tokenDeclarations = (tokens: Token[], value: (light: string, dark: string) => string): string =>
  tokens.map(([name, light, dark]) => `--_${name}:var(--parley-color-${name},${value(light, dark)});`).join('');
