/** The source of "now", injected so tests can pin time instead of sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 UTC with milliseconds: the one timestamp format the store keeps. */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
