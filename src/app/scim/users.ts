/**
 * SCIM user use cases: create (POST, which adopts a user created by SAML JIT sign-in),
 * replace (PUT), patch (PATCH), delete (DELETE), read and list. Each write and its events commit in one transaction; a failed operation writes nothing.
 */
import { ServiceError, isServiceError, toServiceError } from '../../domain/errors.js';
import type { Directory, StoredUser } from '../../domain/model.js';
import { applyPatch } from '../../scim/patch-apply.js';
import { parsePatchRequest } from '../../scim/patch-request.js';
import { normalizeUserInput } from '../../scim/resource-input.js';
import { deepEqual } from '../../scim/attribute-values.js';
import type { Filter, JsonObject } from '../../scim/types.js';
import type { AppContext } from '../context.js';
import type { ListResult, Page, Repositories } from '../ports.js';
import { assertIfMatch } from './preconditions.js';
import { lockCreateTarget } from './adopt-jit-user.js';
import { userColumns, userUpdateEvents } from './user-changes.js';
import { userRef, userView } from '../directory/views.js';
import type { NewEvent } from '../../domain/events.js';
import { joinDepartmentGroup, lockDepartmentGroup } from '../rules/department-groups.js';
import { keepManagerDisplayName, managerDisplayNameInPatch, withManagerDisplayName } from '../rules/manager.js';
import { afterUserDelete } from '../rules/user-rules.js';

export interface UserWithGroups {
  user: StoredUser;
  groups: { id: string; displayName: string }[];
}

/** The canonical resource of a POST/PUT body, with the manager.displayName it sent (rules/manager.ts). */
function normalize(body: unknown): JsonObject {
  const result = normalizeUserInput(body);
  if (!result.ok) throw toServiceError(result.error);
  return keepManagerDisplayName(body as JsonObject, result.value);
}

function notFound(id: string): ServiceError {
  return new ServiceError('not_found', `user ${id} not found in this directory`);
}

async function loadForWrite(tx: Repositories, directoryId: string, id: string, ifMatch: string | undefined): Promise<StoredUser> {
  const user = await tx.users.findById(directoryId, id, { forUpdate: true });
  if (!user) throw notFound(id);
  assertIfMatch(ifMatch, user.version);
  return user;
}

/**
 * POST /Users: inserts a new user, or adopts the user a SAML JIT sign-in created with this
 * userName or externalId (adopt-jit-user.ts). Either way the user returned is the SCIM resource
 * now, answered with 201 and its id.
 */
export async function createUser(ctx: AppContext, directory: Directory, body: unknown): Promise<StoredUser> {
  const resource = normalize(body);
  try {
    return await createOrAdopt(ctx, directory, resource);
  } catch (error) {
    // The insert lost a race: a user with this userName was committed after our look-up, maybe
    // by an SSO sign-in. Look once more: that adopts it, or answers the usual 409.
    if (error instanceof InsertConflict) return createOrAdopt(ctx, directory, resource);
    throw error;
  }
}

/** The insert's uniqueness conflict (not the look-up's): the create may be retried once. */
class InsertConflict extends ServiceError {
  constructor(cause: ServiceError) {
    super(cause.code, cause.detail, { cause });
  }
}

async function createOrAdopt(ctx: AppContext, directory: Directory, resource: JsonObject): Promise<StoredUser> {
  return ctx.store.transaction(async (tx) => {
    const target = await lockCreateTarget(tx, directory.id, resource);
    // Replace semantics, the update code path: user.updated (not user.created), state events, rules.
    if (target.kind === 'adopt') return writeUserChange(ctx, tx, directory, target.user, resource);
    const at = ctx.clock.now().toISOString();
    const user: StoredUser = {
      id: ctx.ids.next('usr'),
      directoryId: directory.id,
      ...userColumns(resource),
      resource,
      version: 1,
      source: 'scim',
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    // Before the insert, which locks the directory row: see rules/department-groups.ts.
    const department = await lockDepartmentGroup(tx, directory, null, resource);
    try {
      await tx.users.insert(user);
    } catch (error) {
      throw isServiceError(error) && error.code === 'uniqueness_conflict' ? new InsertConflict(error) : error;
    }
    const view = await userView(tx, directory, user, { isNew: true });
    const events: NewEvent[] = [{ type: 'user.created', data: { user: view } }];
    events.push(...(await joinDepartmentGroup(ctx, tx, directory, department, userRef(view), at)));
    await tx.events.append(directory.id, directory.organizationId, events, at, ctx.requestId);
    return user;
  });
}

/**
 * Writes `resource` over the user when it differs; returns the user as it now is. Every SCIM
 * write makes the user SCIM-managed: a user first created by SAML JIT sign-in gets source
 * 'scim' (a new version and user.updated with previous.source, even when the resource is the
 * same), and SSO sign-ins no longer rewrite it (adopt-jit-user.ts).
 */
async function writeUserChange(ctx: AppContext, tx: Repositories, directory: Directory, before: StoredUser, resource: JsonObject): Promise<StoredUser> {
  // An identical PUT/PATCH (Okta re-sends profiles) changes nothing: no new version, no event.
  if (before.source === 'scim' && deepEqual(before.resource, resource)) return before;
  const at = ctx.clock.now().toISOString();
  const after: StoredUser = { ...before, ...userColumns(resource), resource, source: 'scim', version: before.version + 1, updatedAt: at };
  const department = await lockDepartmentGroup(tx, directory, before.resource, resource);
  const beforeView = await userView(tx, directory, before);
  await tx.users.update(after, { emailsChanged: !deepEqual(before.resource['emails'], resource['emails']) });
  const afterView = { ...(await userView(tx, directory, after, { isNew: true })), groups: beforeView.groups, roles: beforeView.roles };
  const events = userUpdateEvents(beforeView, afterView);
  events.push(...(await joinDepartmentGroup(ctx, tx, directory, department, userRef(afterView), at)));
  await tx.events.append(directory.id, directory.organizationId, events, at, ctx.requestId);
  return after;
}

export async function replaceUser(ctx: AppContext, directory: Directory, id: string, body: unknown, ifMatch?: string): Promise<StoredUser> {
  const resource = normalize(body);
  return ctx.store.transaction(async (tx) => {
    const before = await loadForWrite(tx, directory.id, id, ifMatch);
    return writeUserChange(ctx, tx, directory, before, resource);
  });
}

export async function patchUser(ctx: AppContext, directory: Directory, id: string, body: unknown, ifMatch?: string): Promise<StoredUser> {
  const ops = parsePatchRequest(body);
  if (!ops.ok) throw toServiceError(ops.error);
  return ctx.store.transaction(async (tx) => {
    const before = await loadForWrite(tx, directory.id, id, ifMatch);
    // The engine sees `id` so a path-less replace that repeats it is recognised as a no-op.
    const patched = applyPatch('User', { ...before.resource, id: before.id }, ops.value);
    if (!patched.ok) throw toServiceError(patched.error);
    const { id: _id, meta: _meta, ...rest } = patched.value;
    const normalized = normalizeUserInput(rest);
    if (!normalized.ok) throw toServiceError(normalized.error);
    // The manager.displayName this PATCH sent, else the one kept before (unless the manager changed).
    const sent = managerDisplayNameInPatch(body);
    const resource = sent !== undefined ? withManagerDisplayName(normalized.value, sent) : keepManagerDisplayName(rest, normalized.value, before.resource);
    return writeUserChange(ctx, tx, directory, before, resource);
  });
}

export async function deleteUser(ctx: AppContext, directory: Directory, id: string, ifMatch?: string): Promise<void> {
  const at = ctx.clock.now().toISOString();
  await ctx.store.transaction(async (tx) => {
    const user = await loadForWrite(tx, directory.id, id, ifMatch);
    const view = await userView(tx, directory, user);
    await tx.memberships.removeUserEverywhere(directory.id, id);
    await tx.users.markDeleted(directory.id, id, at);
    const ref = userRef(view);
    await tx.events.append(
      directory.id,
      directory.organizationId,
      [
        ...view.groups.map((g) => ({ type: 'group.member_removed' as const, data: { group: g, user: ref } })),
        ...(await afterUserDelete(tx, directory, id)),
        { type: 'user.deleted', data: { user: { ...view, state: 'deleted' as const, groups: [], roles: [], updatedAt: at } } },
      ],
      at,
      ctx.requestId,
    );
  });
}

export async function getUser(ctx: AppContext, directory: Directory, id: string, options: { withGroups: boolean }): Promise<UserWithGroups> {
  const user = await ctx.store.users.findById(directory.id, id);
  if (!user) throw notFound(id);
  const groups = options.withGroups ? ((await ctx.store.memberships.groupsOf(directory.id, [id])).get(id) ?? []) : [];
  return { user, groups };
}

export async function listUsers(
  ctx: AppContext,
  directory: Directory,
  query: { filter?: Filter; page: Page; withGroups: boolean },
): Promise<ListResult<UserWithGroups>> {
  const seek = ctx.pageHints.find(directory.id, 'User', query.filter, query.page.offset);
  const { total, items, version } = await ctx.store.users.list(directory.id, query.filter, { ...query.page, seek });
  if (items.length === query.page.limit && items.length > 0) {
    ctx.pageHints.remember(directory.id, 'User', query.filter, query.page.offset + items.length, { afterId: items[items.length - 1]!.id, version });
  }
  const groups = query.withGroups && items.length > 0 ? await ctx.store.memberships.groupsOf(directory.id, items.map((u) => u.id)) : undefined;
  return { total, version, items: items.map((user) => ({ user, groups: groups?.get(user.id) ?? [] })) };
}
