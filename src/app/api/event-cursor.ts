/**
 * The events API cursor: the last sequence number returned per directory, as base64url JSON
 * (`{"dir_…": 42}`). Per-directory sequences are commit-ordered, so "everything after these
 * numbers" is exact: resuming never skips an event committed later and never repeats one.
 * Pure: encode, parse (a Result, never a throw) and the k-way merge of directory streams.
 */
import type { DirectoryEvent } from '../../domain/events.js';
import { problem, type Problem } from '../../domain/errors.js';
import { err, ok, type Result } from '../../domain/result.js';

export type EventCursor = Readonly<Record<string, number>>;

/** Keys sorted, so equal positions always encode to the same string. */
export function encodeEventCursor(cursor: EventCursor): string {
  const sorted: Record<string, number> = {};
  for (const key of Object.keys(cursor).sort()) sorted[key] = cursor[key]!;
  return Buffer.from(JSON.stringify(sorted), 'utf8').toString('base64url');
}

export function parseEventCursor(value: string): Result<EventCursor, Problem> {
  const invalid = err(problem('invalid_value', 'after is not a cursor returned by this API (pass nextCursor from an earlier response)'));
  if (!/^[A-Za-z0-9_-]*$/.test(value) || value.length > 64 * 1024) return invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return invalid;
  const cursor: Record<string, number> = {};
  for (const [key, seq] of Object.entries(parsed)) {
    if (key.length === 0 || key.length > 100 || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return invalid;
    cursor[key] = seq;
  }
  return ok(cursor);
}

const before = (a: DirectoryEvent, b: DirectoryEvent): boolean =>
  a.occurredAt !== b.occurredAt ? a.occurredAt < b.occurredAt : a.directoryId !== b.directoryId ? a.directoryId < b.directoryId : a.sequence < b.sequence;

/**
 * Merges per-directory streams (each in sequence order) by occurredAt, then directory id, then
 * sequence, taking at most `limit`. Each stream is consumed from its head only: within a
 * directory occurredAt need not grow with the sequence (clocks are read before the row lock),
 * and taking a later event of a directory before an earlier one would advance the cursor past
 * the earlier one, a gap.
 */
export function mergeEventStreams(streams: Iterable<DirectoryEvent[]>, limit: number): DirectoryEvent[] {
  const lanes = [...streams].filter((s) => s.length > 0).map((events) => ({ events, next: 0 }));
  const out: DirectoryEvent[] = [];
  while (out.length < limit) {
    let best: (typeof lanes)[number] | undefined;
    for (const lane of lanes) {
      if (lane.next >= lane.events.length) continue;
      if (!best || before(lane.events[lane.next]!, best.events[best.next]!)) best = lane;
    }
    if (!best) break;
    out.push(best.events[best.next++]!);
  }
  return out;
}

/** The cursor after `events` were returned on top of `cursor`. */
export function advanceCursor(cursor: EventCursor, events: DirectoryEvent[]): EventCursor {
  const next: Record<string, number> = { ...cursor };
  for (const e of events) next[e.directoryId] = Math.max(next[e.directoryId] ?? 0, e.sequence);
  return next;
}
