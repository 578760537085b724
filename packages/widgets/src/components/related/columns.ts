/**
 * Columns for `count` cards when the grid would lay out `natural` columns: fewer when the last
 * row would hold a single card (4 cards in 3 columns become 2 × 2; 5 in 4 become 3 + 2). When no
 * narrower layout avoids it (7 in 3), the natural one stays.
 */
export function balancedColumns(count: number, natural: number): number {
  if (natural <= 1 || count <= natural) return natural;
  for (let columns = natural; columns >= 2; columns -= 1) if (count % columns !== 1) return columns;
  return natural;
}
