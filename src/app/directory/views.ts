/**
 * Builds the normalized views that events carry, inside the writing transaction, with a
 * bounded number of queries per change (never one per member).
 */
import type { DirectoryGroup, DirectoryUser } from '../../domain/directory-view.js';
import type { DirectoryRef, GroupRef, NewEvent, UserRef } from '../../domain/events.js';
import type { Directory, StoredGroup, StoredUser } from '../../domain/model.js';
import type { Repositories } from '../ports.js';
import { managerValueOf, toDirectoryGroup, toDirectoryUser } from './normalized.js';
import { roleRulesOn } from '../../domain/directory-settings.js';
import { groupRoles, settingsOf } from '../rules/roles.js';

export function directoryRef(directory: Directory): DirectoryRef {
  return { id: directory.id, organizationId: directory.organizationId, name: directory.name, provider: directory.provider, status: directory.status };
}

export function userRef(user: DirectoryUser): UserRef {
  return { id: user.id, userName: user.userName, email: user.email };
}

export function groupRef(group: StoredGroup): GroupRef {
  return { id: group.id, name: group.displayName };
}

/** The user as the host app sees it now: groups, roles and a resolved manager included. */
export async function userView(
  tx: Repositories,
  directory: Directory,
  user: StoredUser,
  options: { isNew?: boolean } = {},
): Promise<DirectoryUser> {
  // A user created this instant has no groups or roles yet: skip the reads. Without role rules
  // user_roles holds nothing for the directory (turning them off revokes every role): skip it too.
  const withRoles = !options.isNew && roleRulesOn(settingsOf(directory));
  const [groups, roles] = options.isNew
    ? [[], []]
    : await Promise.all([
        tx.memberships.groupsOf(directory.id, [user.id]).then((m) => m.get(user.id) ?? []),
        withRoles ? tx.roles.rolesOf(directory.id, [user.id]).then((m) => m.get(user.id) ?? []) : [],
      ]);
  // Resolved now, not when stored: a manager provisioned after the report resolves from then on.
  const managerValue = managerValueOf(user.resource);
  const managerUserId = managerValue ? ((await tx.users.resolveReference(directory.id, managerValue)) ?? null) : null;
  return toDirectoryUser(user, { organizationId: directory.organizationId, groups, roles, managerUserId });
}

export async function groupView(tx: Repositories, directory: Directory, group: StoredGroup, options: { isNew?: boolean } = {}): Promise<DirectoryGroup> {
  const memberCount = options.isNew || group.deletedAt ? 0 : await tx.memberships.countMembers(directory.id, group.id);
  return toDirectoryGroup(group, { organizationId: directory.organizationId, memberCount, roles: groupRoles(directory, group.displayName) });
}

/** Earlier values of the fields that changed (raw and timestamps aside). */
export function previousOf<T extends object>(before: T, after: T, ignore: (keyof T)[]): Partial<T> {
  const previous: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (ignore.includes(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key];
  }
  return previous;
}

/** member_added / member_removed events for the ids given, with one lookup for all of them. */
export async function memberEvents(
  tx: Repositories,
  directoryId: string,
  group: GroupRef,
  change: { added: string[]; removed: string[] },
): Promise<NewEvent[]> {
  const refs = await tx.users.refsOf(directoryId, [...change.removed, ...change.added]);
  const ref = (id: string): UserRef => refs.get(id) ?? { id, userName: id, email: null };
  return [
    ...change.removed.map((id): NewEvent => ({ type: 'group.member_removed', data: { group, user: ref(id) } })),
    ...change.added.map((id): NewEvent => ({ type: 'group.member_added', data: { group, user: ref(id) } })),
  ];
}
