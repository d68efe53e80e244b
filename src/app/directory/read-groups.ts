/**
 * The directory API's groups (normalized, with member counts counted for a page in one query)
 * and a group's members (normalized users, keyset-paged like the user list).
 */
import type { ApiScope } from '../../domain/api-key.js';
import type { DirectoryGroup, DirectoryUser } from '../../domain/directory-view.js';
import { ServiceError, toServiceError } from '../../domain/errors.js';
import type { Directory, StoredGroup } from '../../domain/model.js';
import { getDirectoryInScope } from '../api/scope.js';
import type { AppContext } from '../context.js';
import { groupRoles } from '../rules/roles.js';
import { toDirectoryGroup } from './normalized.js';
import { parsePageCursor, toPage, type Paged } from './page-cursor.js';
import { listDirectoryUsers } from './read-users.js';

async function groupsView(ctx: AppContext, directory: Directory, groups: StoredGroup[]): Promise<DirectoryGroup[]> {
  if (groups.length === 0) return [];
  const counts = await ctx.store.directoryRead.memberCounts(directory.id, groups.map((g) => g.id));
  return groups.map((g) =>
    toDirectoryGroup(g, { organizationId: directory.organizationId, memberCount: counts.get(g.id) ?? 0, roles: groupRoles(directory, g.displayName) }),
  );
}

export async function listDirectoryGroups(
  ctx: AppContext,
  scope: ApiScope,
  directoryId: string,
  input: { after?: string; limit: number },
): Promise<Paged<DirectoryGroup>> {
  const directory = await getDirectoryInScope(ctx, scope, directoryId);
  let afterId: string | undefined;
  if (input.after !== undefined) {
    const parsed = parsePageCursor(input.after);
    if (!parsed.ok) throw toServiceError(parsed.error);
    afterId = parsed.value;
  }
  const rows = await ctx.store.directoryRead.listGroups(directory.id, { afterId, limit: input.limit + 1 });
  return toPage(rows, input.limit, (page) => groupsView(ctx, directory, page));
}

export async function getDirectoryGroup(ctx: AppContext, scope: ApiScope, directoryId: string, groupId: string): Promise<DirectoryGroup> {
  const directory = await getDirectoryInScope(ctx, scope, directoryId);
  const group = await ctx.store.groups.findById(directory.id, groupId);
  if (!group) throw new ServiceError('not_found', `group ${groupId} does not exist in directory ${directoryId}`);
  const [view] = await groupsView(ctx, directory, [group]);
  return view!;
}

export async function listGroupMembers(
  ctx: AppContext,
  scope: ApiScope,
  directoryId: string,
  groupId: string,
  input: { after?: string; limit: number },
): Promise<Paged<DirectoryUser>> {
  const directory = await getDirectoryInScope(ctx, scope, directoryId);
  if (!(await ctx.store.groups.findById(directory.id, groupId))) {
    throw new ServiceError('not_found', `group ${groupId} does not exist in directory ${directoryId}`);
  }
  return listDirectoryUsers(ctx, scope, directoryId, { groupId, after: input.after, limit: input.limit });
}
