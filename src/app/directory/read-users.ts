/**
 * The directory API's users: normalized (domain/directory-view.ts) with groups, roles and a
 * resolved manager, built for a whole page with one query per relation, never one per user.
 */
import type { ApiScope } from '../../domain/api-key.js';
import type { DirectoryUser, UserState } from '../../domain/directory-view.js';
import { ServiceError, toServiceError } from '../../domain/errors.js';
import type { Directory, StoredUser } from '../../domain/model.js';
import { getDirectoryInScope } from '../api/scope.js';
import type { AppContext } from '../context.js';
import { managerValueOf, toDirectoryUser } from './normalized.js';
import { parsePageCursor, toPage, type Paged } from './page-cursor.js';

export interface UserFilters {
  email?: string;
  groupId?: string;
  state?: UserState;
  after?: string;
  limit: number;
}

/** Normalized views of users of one directory: three batched reads for the whole list. */
export async function usersView(ctx: AppContext, directory: Directory, users: StoredUser[]): Promise<DirectoryUser[]> {
  if (users.length === 0) return [];
  const ids = users.map((u) => u.id);
  const managerValues = users.flatMap((u) => managerValueOf(u.resource) ?? []);
  const [groups, roles, managers] = await Promise.all([
    ctx.store.memberships.groupsOf(directory.id, ids),
    ctx.store.roles.rolesOf(directory.id, ids),
    managerValues.length > 0 ? ctx.store.directoryRead.resolveReferences(directory.id, managerValues) : new Map<string, string>(),
  ]);
  return users.map((user) => {
    const managerValue = managerValueOf(user.resource);
    return toDirectoryUser(user, {
      organizationId: directory.organizationId,
      groups: groups.get(user.id) ?? [],
      roles: roles.get(user.id) ?? [],
      managerUserId: managerValue ? (managers.get(managerValue) ?? null) : null,
    });
  });
}

export async function listDirectoryUsers(ctx: AppContext, scope: ApiScope, directoryId: string, filters: UserFilters): Promise<Paged<DirectoryUser>> {
  const directory = await getDirectoryInScope(ctx, scope, directoryId);
  let afterId: string | undefined;
  if (filters.after !== undefined) {
    const parsed = parsePageCursor(filters.after);
    if (!parsed.ok) throw toServiceError(parsed.error);
    afterId = parsed.value;
  }
  const rows = await ctx.store.directoryRead.listUsers(directory.id, {
    email: filters.email,
    groupId: filters.groupId,
    state: filters.state,
    afterId,
    limit: filters.limit + 1,
  });
  return toPage(rows, filters.limit, (page) => usersView(ctx, directory, page));
}

export async function getDirectoryUser(ctx: AppContext, scope: ApiScope, directoryId: string, userId: string): Promise<DirectoryUser> {
  const directory = await getDirectoryInScope(ctx, scope, directoryId);
  const user = await ctx.store.directoryRead.findUser(directory.id, userId);
  if (!user) throw new ServiceError('not_found', `user ${userId} does not exist in directory ${directoryId}`);
  const [view] = await usersView(ctx, directory, [user]);
  return view!;
}
