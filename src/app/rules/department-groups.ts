/**
 * Department groups (MangoApps): when a user's department becomes X, the user joins the group
 * named X (matched case-insensitively, created if missing) and keeps the groups of earlier
 * departments. The group and membership are ordinary ones, with the usual events, so the host
 * app and the IdP's next group push see them like any other.
 *
 * Two steps, because of lock order on PostgreSQL. Group writes lock the group row, then the
 * directory row (events); a user create locks the directory row as soon as it inserts (the live
 * counter). So the department's group is locked first (`lockDepartmentGroup`, before the user
 * write), and joined after it (`joinDepartmentGroup`): taking them the other way round would
 * deadlock against Okta pushing the same group's members at the same time.
 */
import type { NewEvent, UserRef } from '../../domain/events.js';
import { toServiceError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/json.js';
import type { Directory, StoredGroup } from '../../domain/model.js';
import { normalizeGroupInput } from '../../scim/resource-input.js';
import { URN } from '../../scim/urns.js';
import type { AppContext } from '../context.js';
import { groupRef, groupView } from '../directory/views.js';
import type { Repositories } from '../ports.js';
import { lockRules, recomputeRoles, rolesOfGroup, settingsOf } from './roles.js';

/** The user's department as a group name: the enterprise `department`, trimmed; null when blank. */
export function departmentOf(resource: JsonObject): string | null {
  const key = Object.keys(resource).find((k) => k.toLowerCase() === URN.enterpriseUser.toLowerCase());
  const enterprise = key === undefined ? undefined : resource[key];
  if (!enterprise || typeof enterprise !== 'object' || Array.isArray(enterprise)) return null;
  const department = enterprise['department'];
  return typeof department === 'string' && department.trim() ? department.trim() : null;
}

/** A department the user moves into, and its group when it already exists (then locked). */
export interface DepartmentTarget {
  name: string;
  group: StoredGroup | undefined;
}

/**
 * Step one, before the user is written: null when the rule is off or the department did not
 * change (no query at all); else the target, with the existing group locked for update.
 */
export async function lockDepartmentGroup(tx: Repositories, directory: Directory, before: JsonObject | null, after: JsonObject): Promise<DepartmentTarget | null> {
  if (!settingsOf(directory).departmentGroups.enabled) return null;
  const name = departmentOf(after);
  if (!name) return null;
  const previous = before ? departmentOf(before) : null;
  if (previous !== null && previous.toLowerCase() === name.toLowerCase()) return null;
  return { name, group: await tx.groups.findByDisplayName(directory.id, name, { forUpdate: true }) };
}

/**
 * Step two, after the user is written: puts the user in the department's group and returns
 * group.created (when the group is new), group.member_added (when the user was not a member)
 * and the role events that follow.
 */
export async function joinDepartmentGroup(
  ctx: AppContext,
  tx: Repositories,
  directory: Directory,
  target: DepartmentTarget | null,
  user: UserRef,
  at: string,
): Promise<NewEvent[]> {
  if (!target) return [];
  // Under the directory lock: two users moving into a new department cannot both create its group.
  const settings = await lockRules(tx, directory);
  if (!settings.departmentGroups.enabled) return [];
  const events: NewEvent[] = [];
  const withSettings: Directory = { ...directory, settings };
  // A group created by another request since step one is found (and locked) now.
  let group = target.group ?? (await tx.groups.findByDisplayName(directory.id, target.name, { forUpdate: true }));
  const isNew = !group;
  if (!group) {
    const input = normalizeGroupInput({ displayName: target.name });
    if (!input.ok) throw toServiceError(input.error);
    group = {
      id: ctx.ids.next('grp'),
      directoryId: directory.id,
      displayName: target.name,
      externalId: null,
      resource: input.value.resource,
      version: 1,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    } satisfies StoredGroup;
    await tx.groups.insert(group);
    events.push({ type: 'group.created', data: { group: await groupView(tx, withSettings, group, { isNew: true }) } });
  }
  const added = await tx.memberships.add(directory.id, group.id, [user.id], at);
  if (added.length === 0) return events;
  // A new member is a new version of an existing group (its ETag changes), as with a SCIM PATCH.
  if (!isNew) await tx.groups.update({ ...group, version: group.version + 1, updatedAt: at });
  events.push({ type: 'group.member_added', data: { group: groupRef(group), user } });
  if (rolesOfGroup(settings.roles, group.displayName).length > 0) {
    events.push(...(await recomputeRoles(tx, directory.id, settings.roles, [{ users: [user.id] }])));
  }
  return events;
}
