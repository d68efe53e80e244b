/**
 * Role recomputation after a group write, for the group use cases to call inside their
 * transaction. Only groups that grant a role matter: Okta pushing "Everyone" into a directory
 * with an `Envi_` prefix costs nothing extra, and with no role rules nothing is queried at all.
 */
import { roleRulesOn, type DirectorySettings } from '../../domain/directory-settings.js';
import type { NewEvent } from '../../domain/events.js';
import type { Directory, StoredGroup } from '../../domain/model.js';
import type { Repositories, RoleScope } from '../ports.js';
import { lockRules, recomputeRoles, rolesOfGroup, settingsOf } from './roles.js';

type RoleRules = DirectorySettings['roles'];

/** Whose roles a group change can move under `rules`, or null when none. */
function scopesOf(rules: RoleRules, before: StoredGroup | null, after: StoredGroup, members: { added: string[]; removed: string[] }): RoleScope[] | null {
  const rolesBefore = before ? rolesOfGroup(rules, before.displayName) : [];
  const rolesAfter = rolesOfGroup(rules, after.displayName);
  if (rolesBefore.length === 0 && rolesAfter.length === 0) return null;
  // A rename that changes what the group grants concerns every member, not only those named.
  if (before && rolesBefore.join('\n') !== rolesAfter.join('\n')) return [{ groupMembers: after.id }, { users: members.removed }];
  const changed = [...members.removed, ...members.added];
  return changed.length > 0 ? [{ users: changed }] : null;
}

/** After a create (before = null), rename or membership change: role events for the users concerned. */
export async function afterGroupWrite(
  tx: Repositories,
  directory: Directory,
  before: StoredGroup | null,
  after: StoredGroup,
  members: { added: string[]; removed: string[] },
): Promise<NewEvent[]> {
  const snapshot = settingsOf(directory);
  if (!roleRulesOn(snapshot) || !scopesOf(snapshot.roles, before, after, members)) return [];
  const rules = (await lockRules(tx, directory)).roles;
  const scopes = scopesOf(rules, before, after, members);
  return scopes ? recomputeRoles(tx, directory.id, rules, scopes, [...members.removed, ...members.added]) : [];
}

/** After the group is marked deleted and before its memberships are cleared: its members lose its roles. */
export async function afterGroupDelete(tx: Repositories, directory: Directory, group: StoredGroup): Promise<NewEvent[]> {
  const snapshot = settingsOf(directory);
  if (!roleRulesOn(snapshot) || rolesOfGroup(snapshot.roles, group.displayName).length === 0) return [];
  const rules = (await lockRules(tx, directory)).roles;
  return recomputeRoles(tx, directory.id, rules, [{ groupMembers: group.id }]);
}
