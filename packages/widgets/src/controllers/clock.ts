/**
 * The widgets' wall clock and their one periodic timer, in one object a test can take over:
 * relative times ("5 minutes ago") and edit windows read `now()`, and the minute re-render is
 * scheduled with `every()`. Nothing else in the widgets reads `Date.now()` for display.
 */
export const clock = {
  now: (): number => Date.now(),
  /** Calls `tick` every `ms` milliseconds; returns the function that stops it. */
  every(ms: number, tick: () => void): () => void {
    const id = setInterval(tick, ms);
    return () => clearInterval(id);
  },
};
