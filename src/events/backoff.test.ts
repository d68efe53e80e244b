import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JITTER, MAX_ATTEMPTS, RETRY_DELAYS_MS, retryDelayMs } from './backoff.js';

const HOUR = 3_600_000;

test('the schedule: 12 attempts, growing then capped at 8 hours, spanning at least 24 hours even at the lowest jitter', () => {
  assert.equal(MAX_ATTEMPTS, 12);
  assert.deepEqual(RETRY_DELAYS_MS.map((ms) => ms / 1000), [5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800, 28800]);
  for (let i = 1; i < RETRY_DELAYS_MS.length; i++) assert.ok(RETRY_DELAYS_MS[i]! >= RETRY_DELAYS_MS[i - 1]!);
  const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
  assert.ok(total * (1 - JITTER) >= 24 * HOUR, `${(total * (1 - JITTER)) / HOUR} h`);
});

test('retryDelayMs', () => {
  const cases: { name: string; failed: number; random: number; expected: number | undefined }[] = [
    { name: 'first failure, no jitter', failed: 1, random: 0.5, expected: 5000 },
    { name: 'first failure, lowest jitter', failed: 1, random: 0, expected: 4000 },
    { name: 'first failure, highest jitter', failed: 1, random: 0.999999, expected: 6000 },
    { name: 'ninth failure', failed: 9, random: 0.5, expected: 8 * HOUR },
    { name: 'eleventh failure: one more try', failed: 11, random: 0.5, expected: 8 * HOUR },
    { name: 'twelfth failure: dead letter', failed: 12, random: 0.5, expected: undefined },
  ];
  for (const c of cases) assert.equal(retryDelayMs(c.failed, () => c.random), c.expected, c.name);
  assert.throws(() => retryDelayMs(0), RangeError);
});
