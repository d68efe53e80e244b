/**
 * The event catalogue: every change to a directory appends one of these, in the same
 * transaction as the change (transactional outbox). Names are noun.past_verb. Payloads carry
 * the normalized shapes of domain/directory-view.ts.
 */
import type { DirectoryGroup, DirectoryUser } from './directory-view.js';

/** Who an event is about, briefly: enough to act without fetching. */
export interface UserRef {
  id: string;
  userName: string;
  email: string | null;
}
export interface GroupRef {
  id: string;
  name: string;
}

export interface EventCatalogue {
  /** A user was provisioned (SCIM POST, or SSO just-in-time). */
  'user.created': { user: DirectoryUser };
  /** A user's attributes changed (PUT/PATCH); `previous` holds the earlier values of the changed fields. */
  'user.updated': { user: DirectoryUser; previous: Partial<DirectoryUser> };
  /** active went true -> false (Okta unassigns or deactivates). */
  'user.deactivated': { user: DirectoryUser };
  /** active went false -> true (Okta re-assigns). */
  'user.reactivated': { user: DirectoryUser };
  /** SCIM DELETE: the user left the directory. */
  'user.deleted': { user: DirectoryUser };
  /** A group was created (SCIM POST, or a department group created by the mapping rules). */
  'group.created': { group: DirectoryGroup };
  /** A group's attributes changed (rename); `previous` holds the earlier values. */
  'group.updated': { group: DirectoryGroup; previous: Partial<DirectoryGroup> };
  /** SCIM DELETE: the group and its memberships are gone (no member_removed events for them). */
  'group.deleted': { group: DirectoryGroup };
  /** One event per member added, in the order the IdP listed them. */
  'group.member_added': { group: GroupRef; user: UserRef };
  /** One event per member removed (PATCH, PUT, or the user's deletion), in the order the IdP listed them. */
  'group.member_removed': { group: GroupRef; user: UserRef };
  /** A role mapping now gives the user this role (through one of its groups). */
  'user.role_granted': { user: UserRef; role: string };
  /** No group of the user grants this role any more. */
  'user.role_revoked': { user: UserRef; role: string };
  /** The directory was switched on again: SCIM requests are accepted. */
  'directory.activated': { directory: DirectoryRef };
  /** The directory was switched off: every SCIM request gets 403. */
  'directory.deactivated': { directory: DirectoryRef };
  /** A new SCIM token was issued; the previous one works until previousTokenExpiresAt (null: revoked at once). */
  'directory.token_rotated': { directory: DirectoryRef; tokenId: string; previousTokenExpiresAt: string | null };
  /** Someone signed in through a SAML connection (after any just-in-time create or update). */
  'sso.login_succeeded': { connectionId: string; flow: 'sp_initiated' | 'idp_initiated'; user: UserRef; subject: string; provisioning: 'created' | 'updated' | 'linked' | 'unchanged' };
  /** A sign-in through a SAML connection was refused; `reason` is the failure code, `detail` says why in words. */
  'sso.login_failed': { connectionId: string; flow: 'sp_initiated' | 'idp_initiated'; reason: string; detail: string; subject: string | null; correlationId: string };
}

export interface DirectoryRef {
  id: string;
  organizationId: string;
  name: string;
  provider: string;
  status: string;
}

export type EventType = keyof EventCatalogue;

export const EVENT_TYPES: readonly EventType[] = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'user.role_granted',
  'user.role_revoked',
  'directory.activated',
  'directory.deactivated',
  'directory.token_rotated',
  'sso.login_succeeded',
  'sso.login_failed',
];

export interface NewEvent<T extends EventType = EventType> {
  type: T;
  data: EventCatalogue[T];
}

/** An event as stored and as delivered (webhooks, events API). */
export interface DirectoryEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  /** Position in the directory's stream: strictly increasing, in commit order. */
  sequence: number;
  occurredAt: string;
  organizationId: string;
  directoryId: string;
  data: EventCatalogue[T];
}
