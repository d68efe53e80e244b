/**
 * The retry schedule of a webhook stream's head event: exponential steps capped at 8 hours,
 * each with ±20% jitter so endpoints that failed together do not retry together. Pure; the
 * worker passes its own random source so tests are deterministic.
 *
 * Attempt 1 is immediate; after the n-th failure the next try waits RETRY_DELAYS_MS[n-1]:
 *   5s, 30s, 2m, 10m, 30m, 1h, 2h, 4h, 8h, 8h, 8h  -> 12 attempts over about 31h42m
 * (at least 25h21m with the jitter at its lowest, so never under the promised 24 hours).
 * When the 12th attempt fails the event is dead-lettered and the stream moves on.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const RETRY_DELAYS_MS: readonly number[] = [
  5 * SECOND,
  30 * SECOND,
  2 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  1 * HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  8 * HOUR,
  8 * HOUR,
];

/** Attempts per event before it is dead-lettered. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Each delay is scaled by a factor drawn uniformly from [1 - JITTER, 1 + JITTER). */
export const JITTER = 0.2;

/**
 * How long to wait after `failedAttempts` failures (1-based) before the next try, or undefined
 * when that was the last attempt and the event is to be dead-lettered.
 */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number | undefined {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) throw new RangeError(`failedAttempts must be a positive integer (got ${failedAttempts})`);
  const base = RETRY_DELAYS_MS[failedAttempts - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}
