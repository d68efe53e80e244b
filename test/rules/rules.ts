/**
 * Helpers for the mapping-rule suites: a directory with an Okta-shaped SCIM client, its event
 * stream since a mark, the normalized user as the host app sees it, and the roles a user holds.
 */
import assert from 'node:assert/strict';
import type { DirectoryEvent } from '../../src/domain/events.js';
import type { DirectoryUser } from '../../src/domain/directory-view.js';
import { userView } from '../../src/app/directory/views.js';
import type { TestServer } from '../support/server.js';
import { ENTERPRISE_URN, USER_URN, oktaUser, type ScimClient } from '../support/scim-client.js';
import { oktaGroup, patchOp } from '../conformance/okta/okta.js';

export interface RulesDirectory {
  directoryId: string;
  client: ScimClient;
  /** Events appended since the last call (or since the directory was made). */
  newEvents(): Promise<DirectoryEvent[]>;
  /** The normalized user, built now (so the manager link resolves as of now). */
  normalized(userId: string): Promise<DirectoryUser>;
  /** The roles user_roles holds for each user. */
  roles(...userIds: string[]): Promise<string[][]>;
  settings(update: unknown): Promise<unknown>;
  createUser(userName: string, extra?: Record<string, unknown>): Promise<{ id: string; userName: string }>;
  createGroup(displayName: string, members?: { id: string; userName: string }[]): Promise<string>;
  addMembers(groupId: string, users: { id: string; userName: string }[]): Promise<void>;
  removeMember(groupId: string, userId: string): Promise<void>;
  renameGroup(groupId: string, displayName: string): Promise<void>;
}

export async function rulesDirectory(server: TestServer, settings?: unknown): Promise<RulesDirectory> {
  const { directoryId, client } = await server.newDirectory('okta');
  const scimitar = server.server.scimitar;
  const store = scimitar.store;
  if (settings !== undefined) await scimitar.admin.updateDirectorySettings({ directoryId, settings: settings as never });
  let seen = await store.events.lastSequence(directoryId);
  const ok = (res: { status: number; text: string }, status: number, what: string) => assert.equal(res.status, status, `${what}: ${res.text}`);
  return {
    directoryId,
    client,
    async newEvents() {
      const events = await store.events.listAfter(directoryId, seen, 1000);
      seen = events.at(-1)?.sequence ?? seen;
      return events;
    },
    async normalized(userId) {
      const directory = await store.directories.findById(directoryId);
      const user = await store.users.findById(directoryId, userId);
      assert.ok(directory && user, `user ${userId} exists`);
      return userView(store, directory, user);
    },
    async roles(...userIds) {
      const map = await store.roles.rolesOf(directoryId, userIds);
      return userIds.map((id) => map.get(id) ?? []);
    },
    settings: (update) => scimitar.admin.updateDirectorySettings({ directoryId, settings: update as never }),
    async createUser(userName, extra = {}) {
      const res = await client.post('/Users', oktaUser(userName, extra));
      ok(res, 201, `POST /Users ${userName}`);
      return { id: res.body.id, userName };
    },
    async createGroup(displayName, members) {
      const res = await client.post('/Groups', oktaGroup(displayName, members?.map((u) => ({ value: u.id, display: u.userName }))));
      ok(res, 201, `POST /Groups ${displayName}`);
      return res.body.id;
    },
    async addMembers(groupId, users) {
      const res = await client.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: users.map((u) => ({ value: u.id, display: u.userName })) }));
      ok(res, 204, 'PATCH add members');
    },
    async removeMember(groupId, userId) {
      const res = await client.patch(`/Groups/${groupId}`, patchOp({ op: 'remove', path: `members[value eq "${userId}"]` }));
      ok(res, 204, 'PATCH remove member');
    },
    async renameGroup(groupId, displayName) {
      // Okta renames with a path-less replace carrying id and displayName.
      const res = await client.patch(`/Groups/${groupId}`, patchOp({ op: 'replace', value: { id: groupId, displayName } }));
      ok(res, 204, 'PATCH rename');
    },
  };
}

/** Role events as compact strings, in stream order: `+Admin alice@example.com` / `-Admin ...`. */
export function roleChanges(events: DirectoryEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'user.role_granted' || e.type === 'user.role_revoked') {
      const data = e.data as { user: { userName: string }; role: string };
      return [`${e.type === 'user.role_granted' ? '+' : '-'}${data.role} ${data.user.userName}`];
    }
    return [];
  });
}

export const types = (events: DirectoryEvent[]): string[] => events.map((e) => e.type);

/** An Okta user body with the enterprise extension (department, manager). */
export function enterpriseUser(userName: string, enterprise: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return oktaUser(userName, { schemas: [USER_URN, ENTERPRISE_URN], [ENTERPRISE_URN]: enterprise, ...extra });
}
