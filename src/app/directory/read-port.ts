/**
 * The storage port of the host app's read API (implemented in store/directory-read.ts):
 * keyset pages by id, and batch look-ups that answer for a whole page in one query.
 * Every method takes the directory id first; scope checks happen in the use cases.
 */
import type { DirectoryEvent } from '../../domain/events.js';
import type { UserState } from '../../domain/directory-view.js';
import type { Directory, StoredGroup, StoredUser } from '../../domain/model.js';

export interface UserListQuery {
  /** Any of the user's emails, case-insensitive. */
  email?: string;
  /** Members of this group. */
  groupId?: string;
  /** Absent: active and inactive users (deleted ones only when asked for). */
  state?: UserState;
  /** Keyset: ids strictly greater than this. */
  afterId?: string;
  limit: number;
}

export interface DirectoryReadRepository {
  /** Directories of one organization, or of every organization when null; ordered by id. */
  listDirectories(organizationId: string | null): Promise<Directory[]>;
  /** The last event sequence number (0 when none) of those directories: two columns, for polling. */
  listSequences(organizationId: string | null): Promise<{ directoryId: string; lastSequence: number }[]>;
  listUsers(directoryId: string, query: UserListQuery): Promise<StoredUser[]>;
  /** A user, deleted ones included (state 'deleted'). */
  findUser(directoryId: string, userId: string): Promise<StoredUser | undefined>;
  /** For each value (our id, externalId or userName), the live user it names: one query for all. */
  resolveReferences(directoryId: string, values: string[]): Promise<Map<string, string>>;
  /** Live groups in id order after `afterId`. */
  listGroups(directoryId: string, query: { afterId?: string; limit: number }): Promise<StoredGroup[]>;
  /** Member counts of groups, in one query. */
  memberCounts(directoryId: string, groupIds: string[]): Promise<Map<string, number>>;
  /**
   * For each position, up to `limit` events of that directory with sequence > afterSeq, in
   * sequence order; batched into few statements however many directories are asked for.
   */
  eventsAfter(positions: { directoryId: string; afterSeq: number }[], limit: number): Promise<Map<string, DirectoryEvent[]>>;
}
