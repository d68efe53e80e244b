/**
 * Remembers, per directory and query, the id that ended the last page served, so the next
 * page (Okta imports with startIndex 1, 101, 201, ...) seeks past it instead of skipping
 * `offset` rows: each page of a 100,000-user import then costs the same as the first.
 * A cache only: a miss (another process, an evicted entry) or a directory that changed since
 * (its version moved) falls back to OFFSET, so the rows are always those OFFSET would give.
 */
import type { Filter } from '../../scim/types.js';

const MAX_ENTRIES = 2000;

export interface PageSeek {
  afterId: string;
  /** The directory version the position was true at; the store seeks only if it still is. */
  version: number;
}

export class PageHints {
  private readonly entries = new Map<string, PageSeek>();

  private key(directoryId: string, kind: 'User' | 'Group', filter: Filter | undefined, offset: number): string {
    return `${directoryId}\u0000${kind}\u0000${filter ? JSON.stringify(filter) : ''}\u0000${offset}`;
  }

  /** The id just before `offset`, if the page ending there was served by this process. */
  find(directoryId: string, kind: 'User' | 'Group', filter: Filter | undefined, offset: number): PageSeek | undefined {
    if (offset === 0) return undefined;
    const key = this.key(directoryId, kind, filter, offset);
    const id = this.entries.get(key);
    if (id !== undefined) this.entries.delete(key); // one use: the next page records its own end
    return id;
  }

  /** Records that, at directory version `version`, the row at position `endOffset - 1` has id `afterId`. */
  remember(directoryId: string, kind: 'User' | 'Group', filter: Filter | undefined, endOffset: number, seek: PageSeek): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(this.key(directoryId, kind, filter, endOffset), seek);
  }
}
