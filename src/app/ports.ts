/**
 * The storage ports the use cases need, shaped by what they do (not generic CRUD). Every
 * method that touches tenant data takes the directory id first: tenancy is in the signature.
 */
import type { DirectoryEvent, EventType, NewEvent, UserRef } from '../domain/events.js';
import type {
  Directory,
  DirectoryStatus,
  GroupMember,
  Organization,
  ScimToken,
  StoredGroup,
  StoredUser,
} from '../domain/model.js';
import type { Filter } from '../scim/types.js';
import type { DirectorySettings } from '../domain/directory-settings.js';
import type { ApiKeyRepository } from './api-keys/api-key-repository.js';
import type { DirectoryReadRepository } from './directory/read-port.js';
import type { WebhookRepository } from './webhooks/webhook-repository.js';
import type { DeliveryQueue } from './webhooks/delivery-queue.js';
import type { PortalRepository } from './portal/portal-repository.js';
import type { SsoRepository } from './sso/sso-repository.js';

export interface Page {
  /** 0-based offset (SCIM startIndex - 1). */
  offset: number;
  /** Maximum rows; 0 asks for the total only. */
  limit: number;
  /**
   * The id of the row just before `offset` as of directory version `version`, when known (see
   * app/scim/page-hints.ts). If the directory has not changed since, the store seeks past that
   * id instead of skipping `offset` rows: the same rows, found in constant time.
   */
  seek?: { afterId: string; version: number };
}

export interface ListResult<T> {
  total: number;
  items: T[];
  /** The directory's change sequence when the list was read (its last event number). */
  version: number;
}

export interface OrganizationRepository {
  insert(org: Organization): Promise<void>;
  findById(id: string): Promise<Organization | undefined>;
  list(): Promise<Organization[]>;
}

export interface DirectoryRepository {
  insert(directory: Directory): Promise<void>;
  findById(id: string): Promise<Directory | undefined>;
  listByOrganization(organizationId: string): Promise<Directory[]>;
  setStatus(id: string, status: DirectoryStatus, at: string): Promise<void>;
}

export interface TokenRepository {
  insert(token: ScimToken): Promise<void>;
  /** The directory and its usable tokens in one read: what authenticating a SCIM request needs. */
  findCredentials(directoryId: string, now: string): Promise<{ directory: Directory; tokens: ScimToken[] } | undefined>;
  /** Tokens of the directory that are neither revoked nor past their expiry. */
  listUsable(directoryId: string, now: string): Promise<ScimToken[]>;
  /** Gives every other usable token of the directory an expiry (rotation grace) or revokes it. */
  retireOthers(directoryId: string, keepTokenId: string, change: { expiresAt: string } | { revokedAt: string }): Promise<number>;
  markUsed(directoryId: string, tokenId: string, at: string, ip: string | null): Promise<void>;
  /** Every token of the directory, revoked and expired ones too, newest first: what an admin screen lists. */
  listAll(directoryId: string): Promise<ScimToken[]>;
  /** Revokes the token as of `at` if it is still usable; returns whether it was (false: unknown, already revoked or expired). */
  revoke(directoryId: string, tokenId: string, at: string): Promise<boolean>;
}

export interface UserRepository {
  findById(directoryId: string, id: string, options?: { forUpdate?: boolean }): Promise<StoredUser | undefined>;
  /**
   * What a SCIM create may collide with: the live user whose userName equals `userName`
   * (case-insensitively), and live users first created by SAML JIT sign-in (source 'saml_jit')
   * whose externalId equals `externalId` (when not null). Ordered by id; `forUpdate` locks them
   * until the transaction ends (PostgreSQL `FOR UPDATE`).
   */
  findForCreate(directoryId: string, match: { userName: string; externalId: string | null }, options?: { forUpdate?: boolean }): Promise<StoredUser[]>;
  /** Throws ServiceError('uniqueness_conflict') when userName is taken in the directory. */
  insert(user: StoredUser): Promise<void>;
  /** Writes every column of an existing user (source included); same uniqueness rule as insert. The email index is rewritten only when `emailsChanged`. */
  update(user: StoredUser, options: { emailsChanged: boolean }): Promise<void>;
  markDeleted(directoryId: string, id: string, at: string): Promise<void>;
  list(directoryId: string, filter: Filter | undefined, page: Page): Promise<ListResult<StoredUser>>;
  /** Our id of the user that `value` names (our id, the IdP's externalId, or the userName), if live. */
  resolveReference(directoryId: string, value: string): Promise<string | undefined>;
  /** Short references (id, userName, primary email) of users, live or deleted, in one query. */
  refsOf(directoryId: string, ids: string[]): Promise<Map<string, UserRef>>;
  /**
   * Which of these ids are live users of the directory. `forShare` locks the rows found until the
   * transaction ends, so a concurrent DELETE of one of them waits (PostgreSQL `FOR SHARE`).
   */
  findExistingIds(directoryId: string, ids: string[], options?: { forShare?: boolean }): Promise<Set<string>>;
}

export interface GroupRepository {
  findById(directoryId: string, id: string, options?: { forUpdate?: boolean }): Promise<StoredGroup | undefined>;
  insert(group: StoredGroup): Promise<void>;
  update(group: StoredGroup): Promise<void>;
  markDeleted(directoryId: string, id: string, at: string): Promise<void>;
  list(directoryId: string, filter: Filter | undefined, page: Page): Promise<ListResult<StoredGroup>>;
  /** The live group with this displayName, compared case-insensitively. */
  findByDisplayName(directoryId: string, displayName: string, options?: { forUpdate?: boolean }): Promise<StoredGroup | undefined>;
}

export interface MembershipRepository {
  /** Members of each group, in one query. */
  membersOf(directoryId: string, groupIds: string[]): Promise<Map<string, GroupMember[]>>;
  memberIds(directoryId: string, groupId: string): Promise<string[]>;
  /** Adds the users not yet members; returns those actually added, in the order given. */
  add(directoryId: string, groupId: string, userIds: string[], at: string): Promise<string[]>;
  /** Removes those that are members; returns those actually removed, in the order given. */
  remove(directoryId: string, groupId: string, userIds: string[]): Promise<string[]>;
  /** Removes every member of a group (the group is being deleted); returns how many. */
  clear(directoryId: string, groupId: string): Promise<number>;
  /** Removes a user from every group; returns the group ids. */
  removeUserEverywhere(directoryId: string, userId: string): Promise<string[]>;
  countMembers(directoryId: string, groupId: string): Promise<number>;
  /** Groups of each user, in one query. */
  groupsOf(directoryId: string, userIds: string[]): Promise<Map<string, { id: string; displayName: string }[]>>;
}

export interface RoleRepository {
  /** Roles of each user, in one query. */
  rolesOf(directoryId: string, userIds: string[]): Promise<Map<string, string[]>>;
  /**
   * Brings user_roles of the users in scope in line with their live groups under `rules`, in
   * set-based statements (a few per 500 users, none per user); returns what was granted and revoked.
   */
  recompute(directoryId: string, rules: DirectorySettings['roles'], scope: RoleScope): Promise<RoleChanges>;
}

/** Whose roles to recompute: these users, the members of one group, or the whole directory. */
export type RoleScope = { users: string[] } | { groupMembers: string } | { directory: true };

export interface RoleChanges {
  granted: { userId: string; role: string }[];
  revoked: { userId: string; role: string }[];
}

export interface DirectorySettingsRepository {
  /** The directory's mapping rules; `forUpdate` locks its row (PostgreSQL) so rule work of one directory runs one at a time. */
  find(directoryId: string, options?: { forUpdate?: boolean }): Promise<DirectorySettings | undefined>;
  write(directoryId: string, settings: DirectorySettings, at: string): Promise<void>;
}

export interface EventLog {
  /**
   * Appends events in order, numbered by the directory's sequence. Call inside the change's
   * transaction. `requestId` names the SCIM request that caused them (a user's history shows it).
   */
  append(directoryId: string, organizationId: string, events: NewEvent[], at: string, requestId?: string): Promise<void>;
  count(directoryId: string, type?: EventType): Promise<number>;
  /** Events of the directory with sequence > afterSeq, in order. */
  listAfter(directoryId: string, afterSeq: number, limit: number): Promise<DirectoryEvent[]>;
  /** The directory's last sequence number (0 when it has no events). */
  lastSequence(directoryId: string): Promise<number>;
  /** Deletes events older than `before` (retention); returns how many. */
  purge(directoryId: string, before: string): Promise<number>;
  /**
   * The events about one user (user.*, its group.member_* and roles), newest first, each with
   * the SCIM request that caused it, in one query. `beforeSeq` continues a page: pass the
   * sequence of the last entry seen.
   */
  historyOfUser(directoryId: string, userId: string, options: { limit: number; beforeSeq?: number }): Promise<UserHistoryEntry[]>;
}

export interface UserHistoryEntry {
  event: DirectoryEvent;
  /**
   * The SCIM request that caused the event; null when none did (a settings change, an event
   * written before requests were recorded), or when its log entry is not written yet (the
   * request log is buffered) or was purged by retention.
   */
  request: { requestId: string; method: string; path: string; status: number; at: string; clientIp: string | null } | null;
}

export interface RequestLogEntry {
  directoryId: string;
  id: string;
  at: string;
  requestId: string;
  method: string;
  path: string;
  query: string | null;
  status: number;
  durationMs: number;
  scimType: string | null;
  detail: string | null;
  requestBody: string | null;
  clientIp: string | null;
}

export interface RequestLogQuery {
  /** Only failed requests (status >= 400). */
  errorsOnly?: boolean;
  /** Only this HTTP method (compared upper-cased). */
  method?: string;
  /**
   * Only entries whose path, query or request body contains this text, case-insensitively (ASCII
   * letters only on SQLite): a user's id finds the requests on their URL, their userName the
   * bodies and filters naming them. Matched literally: `%` and `_` are no wildcards.
   */
  search?: string;
  /** Keyset cursor: only entries with an id below this one (the last id of the previous page). */
  beforeId?: string;
  limit: number;
}

export interface RequestLogSummary {
  /** Entries kept for the directory (within retention). */
  total: number;
  lastRequestAt: string | null;
  lastStatus: number | null;
  lastClientIp: string | null;
  /** Requests and failed requests (status >= 400) at or after `since`. */
  requestsSince: number;
  errorsSince: number;
  lastErrorAt: string | null;
  lastError: RequestLogEntry | null;
}

export interface RequestLog {
  /** Writes entries in one statement per batch (the buffer in app/request-log-buffer.ts collects them). */
  recordMany(entries: RequestLogEntry[]): Promise<void>;
  /** Entries newest first (by id, which is time-ordered), narrowed by `query`. */
  list(directoryId: string, query: RequestLogQuery): Promise<RequestLogEntry[]>;
  /** The directory's traffic at a glance, for a status screen; `since` bounds the recent counts. */
  summary(directoryId: string, since: string): Promise<RequestLogSummary>;
  /** The entry of one request (the most recent, should a client have reused its X-Request-Id). */
  findByRequestId(directoryId: string, requestId: string): Promise<RequestLogEntry | undefined>;
  /** Deletes entries older than `before` (retention); returns how many. */
  purge(directoryId: string, before: string): Promise<number>;
}

export interface Repositories {
  organizations: OrganizationRepository;
  directories: DirectoryRepository;
  tokens: TokenRepository;
  users: UserRepository;
  groups: GroupRepository;
  memberships: MembershipRepository;
  roles: RoleRepository;
  directorySettings: DirectorySettingsRepository;
  events: EventLog;
  requestLog: RequestLog;
  apiKeys: ApiKeyRepository;
  /** Webhook endpoints, their attempts and dead letters (management). */
  webhooks: WebhookRepository;
  /** The delivery worker's streams, leases and outbox reads. */
  deliveries: DeliveryQueue;
  /** The host app's read API (keyset pages, batch look-ups). */
  directoryRead: DirectoryReadRepository;
  /** Setup links, console logins and portal sessions. */
  portal: PortalRepository;
  /** SAML connections, sign-in requests, replay store, codes and attempts. */
  sso: SsoRepository;
}

/** Repositories outside a transaction, plus a way to run a unit of work in one transaction. */
export interface Store extends Repositories {
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  readonly dialect: 'sqlite' | 'postgres';
}
