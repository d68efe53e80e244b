/**
 * The event catalogue: every change to a directory appends one of these, in the same
 * transaction as the change (transactional outbox). Names are noun.past_verb.
 */
export interface EventCatalogue {
  /** A user was provisioned (SCIM POST). data: the user as SCIM returns it. */
  'user.created': { user: unknown };
  /** A user's attributes changed (PUT/PATCH). data: the user and the previous values of what changed. */
  'user.updated': { user: unknown; previous: Record<string, unknown> };
  /** active went true -> false. */
  'user.deactivated': { user: unknown };
  /** active went false -> true (Okta re-assigns a user). */
  'user.reactivated': { user: unknown };
  /** SCIM DELETE: the user left the directory. */
  'user.deleted': { user: unknown };
  'group.created': { group: unknown };
  /** A group's attributes changed (rename). */
  'group.updated': { group: unknown; previous: Record<string, unknown> };
  'group.deleted': { group: unknown };
  /** One event per member added, in the order the IdP sent them. */
  'group.member_added': { groupId: string; userId: string };
  'group.member_removed': { groupId: string; userId: string };
  'directory.activated': { directoryId: string };
  'directory.deactivated': { directoryId: string };
  'directory.token_rotated': { directoryId: string; tokenId: string; previousTokenExpiresAt: string | null };
}

export type EventType = keyof EventCatalogue;

export interface NewEvent<T extends EventType = EventType> {
  type: T;
  data: EventCatalogue[T];
}
