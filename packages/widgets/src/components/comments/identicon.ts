import { svg, type SVGTemplateResult } from 'lit';

/**
 * A 5×5 mirrored identicon drawn from a 16-hex-digit seed (`author.avatar`): 15 bits pick the
 * cells of the left three columns (mirrored to the right), the next 12 bits pick the hue.
 */
export function identicon(seed: string): SVGTemplateResult {
  const bits = parseInt(seed.slice(0, 4), 16);
  const hue = parseInt(seed.slice(4, 7), 16) % 360;
  let d = '';
  for (let i = 0; i < 15; i++) {
    if ((bits >> i) & 1) {
      const x = i % 3;
      const y = (i / 3) | 0;
      d += `M${x} ${y}h1v1h-1zM${4 - x} ${y}h1v1h-1z`;
    }
  }
  return svg`<svg viewBox="-1 -1 7 7" aria-hidden="true"><rect x="-1" y="-1" width="7" height="7" fill="hsl(${hue} 60% 92%)"/><path d=${d} fill="hsl(${hue} 55% 45%)"/></svg>`;
}
