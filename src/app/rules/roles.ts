/**
 * Roles from groups (Envi: a group named `Envi_Admin` grants the role `Admin`; explicit
 * group -> role mappings too). A user's roles are the union over its live groups, kept in
 * user_roles and recomputed by the store in set-based SQL; this module decides when a change
 * can matter, and turns what changed into `user.role_granted` / `user.role_revoked` events.
 */
import { DEFAULT_DIRECTORY_SETTINGS, roleRulesOn, type DirectorySettings } from '../../domain/directory-settings.js';
import type { NewEvent, UserRef } from '../../domain/events.js';
import type { Directory } from '../../domain/model.js';
import type { Repositories, RoleChanges, RoleScope } from '../ports.js';

type RoleRules = DirectorySettings['roles'];

/** The directory's rules as its row said when the request was authenticated. */
export function settingsOf(directory: Directory): DirectorySettings {
  return directory.settings ?? DEFAULT_DIRECTORY_SETTINGS;
}

/**
 * The roles a group of this name grants. Must agree with store/roles.ts: the prefix is compared
 * lower-cased, and the role is the rest of the name, counted in characters (code points).
 */
export function rolesOfGroup(rules: RoleRules, displayName: string): string[] {
  const roles = new Set<string>();
  const lower = displayName.toLowerCase();
  if (rules.prefix) {
    const prefix = [...rules.prefix.toLowerCase()];
    const name = [...lower];
    if (name.length > prefix.length && prefix.every((c, i) => name[i] === c)) roles.add([...displayName].slice(prefix.length).join(''));
  }
  for (const m of rules.mappings) if (m.group.toLowerCase() === lower) roles.add(m.role);
  return [...roles].sort();
}

/** The roles of a group in this directory, for its normalized view (events and the directory API). */
export function groupRoles(directory: Directory, displayName: string): string[] {
  const settings = settingsOf(directory);
  return roleRulesOn(settings) ? rolesOfGroup(settings.roles, displayName) : [];
}

/**
 * The directory's rules, read again under its row lock (PostgreSQL). Rule work of one directory
 * then runs one transaction at a time: two membership changes of the same user cannot each
 * miss the other's group, and a settings change made since authentication is seen.
 */
export async function lockRules(tx: Repositories, directory: Directory): Promise<DirectorySettings> {
  return (await tx.directorySettings.find(directory.id, { forUpdate: true })) ?? settingsOf(directory);
}

/**
 * Recomputes the roles of the users in each scope and returns the events for what changed:
 * per user, revocations then grants, each by role name. Users are ordered as in `order` (the
 * IdP's order of a membership change) when given, else by id.
 */
export async function recomputeRoles(tx: Repositories, directoryId: string, rules: RoleRules, scopes: RoleScope[], order: string[] = []): Promise<NewEvent[]> {
  const changes: RoleChanges = { granted: [], revoked: [] };
  for (const scope of scopes) {
    const found = await tx.roles.recompute(directoryId, rules, scope);
    changes.granted.push(...found.granted);
    changes.revoked.push(...found.revoked);
  }
  return roleEvents(tx, directoryId, changes, order);
}

export async function roleEvents(tx: Repositories, directoryId: string, changes: RoleChanges, order: string[] = []): Promise<NewEvent[]> {
  const all = [...changes.revoked.map((c) => ({ ...c, granted: false })), ...changes.granted.map((c) => ({ ...c, granted: true }))];
  if (all.length === 0) return [];
  const position = new Map(order.map((id, i) => [id, i]));
  const rank = (id: string) => position.get(id) ?? order.length;
  all.sort(
    (a, b) =>
      rank(a.userId) - rank(b.userId) ||
      (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0) ||
      Number(a.granted) - Number(b.granted) ||
      (a.role < b.role ? -1 : a.role > b.role ? 1 : 0),
  );
  const refs = await tx.users.refsOf(directoryId, [...new Set(all.map((c) => c.userId))]);
  const ref = (id: string): UserRef => refs.get(id) ?? { id, userName: id, email: null };
  return all.map(
    (c): NewEvent => (c.granted ? { type: 'user.role_granted', data: { user: ref(c.userId), role: c.role } } : { type: 'user.role_revoked', data: { user: ref(c.userId), role: c.role } }),
  );
}
