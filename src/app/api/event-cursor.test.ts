import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectoryEvent } from '../../domain/events.js';
import { advanceCursor, encodeEventCursor, mergeEventStreams, parseEventCursor } from './event-cursor.js';

const ev = (directoryId: string, sequence: number, occurredAt: string): DirectoryEvent =>
  ({ id: `evt_${directoryId}_${sequence}`, type: 'user.created', sequence, occurredAt, organizationId: 'org_1', directoryId, data: {} }) as unknown as DirectoryEvent;
const ids = (events: DirectoryEvent[]) => events.map((e) => `${e.directoryId}:${e.sequence}`);

describe('event cursor encoding', () => {
  test('round-trips, and equal positions encode identically whatever the key order', () => {
    const a = encodeEventCursor({ dir_b: 2, dir_a: 7 });
    assert.equal(a, encodeEventCursor({ dir_a: 7, dir_b: 2 }));
    assert.deepEqual(parseEventCursor(a), { ok: true, value: { dir_a: 7, dir_b: 2 } });
  });

  const invalid: [string, string][] = [
    ['not base64url', 'a+b/c'],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['an array', Buffer.from('[1]').toString('base64url')],
    ['a negative sequence', Buffer.from('{"dir_a":-1}').toString('base64url')],
    ['a fractional sequence', Buffer.from('{"dir_a":1.5}').toString('base64url')],
    ['a string sequence', Buffer.from('{"dir_a":"3"}').toString('base64url')],
    ['null', Buffer.from('null').toString('base64url')],
  ];
  for (const [name, value] of invalid) {
    test(`refuses ${name} with invalid_value`, () => {
      const parsed = parseEventCursor(value);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.equal(parsed.error.code, 'invalid_value');
    });
  }
});

describe('mergeEventStreams', () => {
  test('orders by occurredAt, then directory id, then sequence', () => {
    const a = [ev('a', 1, '2026-01-01T00:00:01Z'), ev('a', 2, '2026-01-01T00:00:03Z')];
    const b = [ev('b', 1, '2026-01-01T00:00:01Z'), ev('b', 2, '2026-01-01T00:00:02Z')];
    assert.deepEqual(ids(mergeEventStreams([b, a], 10)), ['a:1', 'b:1', 'b:2', 'a:2']);
  });

  test('stops at the limit', () => {
    const a = [ev('a', 1, 't1'), ev('a', 2, 't2'), ev('a', 3, 't3')];
    assert.deepEqual(ids(mergeEventStreams([a], 2)), ['a:1', 'a:2']);
  });

  test('takes each directory in sequence order even when its clock went backwards (no gap)', () => {
    // a:2 committed after a:1 but read the clock earlier; taking a:2 first would skip a:1 forever.
    const a = [ev('a', 1, '2026-01-01T00:00:05Z'), ev('a', 2, '2026-01-01T00:00:01Z')];
    const b = [ev('b', 1, '2026-01-01T00:00:03Z')];
    const merged = mergeEventStreams([a, b], 2);
    assert.deepEqual(ids(merged), ['b:1', 'a:1']);
    assert.deepEqual(advanceCursor({}, merged), { a: 1, b: 1 });
  });

  test('advanceCursor keeps directories it did not see', () => {
    assert.deepEqual(advanceCursor({ c: 9 }, [ev('a', 4, 't')]), { c: 9, a: 4 });
  });
});
