/**
 * Remembers, per directory and query, the id that ended the last page served, so the next
 * page (Okta imports with startIndex 1, 101, 201, ...) seeks past it instead of skipping
 * `offset` rows: each page of a 100,000-user import then costs the same as the first.
 * A cache only: a miss (another process, an evicted entry) falls back to OFFSET, same rows.
 */
import type { Filter } from '../../scim/types.js';

const MAX_ENTRIES = 2000;

export class PageHints {
  private readonly entries = new Map<string, string>();

  private key(directoryId: string, kind: 'User' | 'Group', filter: Filter | undefined, offset: number): string {
    return `${directoryId}\u0000${kind}\u0000${filter ? JSON.stringify(filter) : ''}\u0000${offset}`;
  }

  /** The id just before `offset`, if the page ending there was served by this process. */
  find(directoryId: string, kind: 'User' | 'Group', filter: Filter | undefined, offset: number): string | undefined {
    if (offset === 0) return undefined;
    const key = this.key(directoryId, kind, filter, offset);
    const id = this.entries.get(key);
    if (id !== undefined) this.entries.delete(key); // one use: the next page records its own end
    return id;
  }

  /** Records that the row at position `offset + returned - 1` has id `lastId`. */
  remember(directoryId: string, kind: 'User' | 'Group', filter: Filter | undefined, endOffset: number, lastId: string): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(this.key(directoryId, kind, filter, endOffset), lastId);
  }
}
