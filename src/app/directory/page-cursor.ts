/**
 * Cursors of the directory read API: opaque base64url of the last id returned. Pages are
 * keyset pages by id, so rows added while a client pages never shift it: no gap, no duplicate.
 */
import { problem, type Problem } from '../../domain/errors.js';
import { err, ok, type Result } from '../../domain/result.js';

export interface Paged<T> {
  data: T[];
  /** Pass as `after` for the next page; null when this page reached the end (as of now). */
  nextCursor: string | null;
}

export const encodePageCursor = (lastId: string): string => Buffer.from(JSON.stringify({ id: lastId }), 'utf8').toString('base64url');

export function parsePageCursor(value: string): Result<string, Problem> {
  const invalid = err(problem('invalid_value', 'after is not a cursor returned by this API (pass nextCursor from an earlier page)'));
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(value)) return invalid;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    const id = parsed && typeof parsed === 'object' ? (parsed as { id?: unknown }).id : undefined;
    return typeof id === 'string' && id.length > 0 ? ok(id) : invalid;
  } catch {
    return invalid;
  }
}

/** Splits a `limit + 1` read into the page and its cursor. */
export function toPage<T extends { id: string }, V>(rows: T[], limit: number, view: (rows: T[]) => Promise<V[]>): Promise<Paged<V>> {
  const page = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodePageCursor(page[page.length - 1]!.id) : null;
  return view(page).then((data) => ({ data, nextCursor }));
}
