/**
 * The role rule a user delete sets off, for the user use case to call inside its transaction.
 * (A user create or update sets off department groups: rules/department-groups.ts.)
 */
import { roleRulesOn } from '../../domain/directory-settings.js';
import type { NewEvent } from '../../domain/events.js';
import type { Directory } from '../../domain/model.js';
import type { Repositories } from '../ports.js';
import { lockRules, recomputeRoles, settingsOf } from './roles.js';

/** After a delete (memberships already removed): the user's roles are revoked, with events. No query without role rules. */
export async function afterUserDelete(tx: Repositories, directory: Directory, userId: string): Promise<NewEvent[]> {
  if (!roleRulesOn(settingsOf(directory))) return [];
  const settings = await lockRules(tx, directory);
  return recomputeRoles(tx, directory.id, settings.roles, [{ users: [userId] }]);
}
