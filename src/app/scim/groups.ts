/**
 * SCIM group use cases. Membership is changed by delta: an add or remove touches only the
 * members named; only a full replacement (PUT, replace of members) reads the current list.
 */
import { ServiceError, toServiceError } from '../../domain/errors.js';
import type { NewEvent } from '../../domain/events.js';
import type { Directory, GroupMember, StoredGroup } from '../../domain/model.js';
import { deepEqual } from '../../scim/attribute-values.js';
import { splitGroupPatch, type MembershipChange } from '../../scim/group-membership-patch.js';
import { applyPatch } from '../../scim/patch-apply.js';
import { parsePatchRequest } from '../../scim/patch-request.js';
import { normalizeGroupInput } from '../../scim/resource-input.js';
import type { Filter, JsonObject } from '../../scim/types.js';
import type { AppContext } from '../context.js';
import type { ListResult, Page, Repositories } from '../ports.js';
import { assertIfMatch } from './preconditions.js';
import { groupRef, groupView, memberEvents, previousOf } from '../directory/views.js';
import { afterGroupDelete, afterGroupWrite } from '../rules/group-rules.js';

export interface GroupWithMembers {
  group: StoredGroup;
  /** undefined when the caller did not ask for members */
  members?: GroupMember[];
}

function notFound(id: string): ServiceError {
  return new ServiceError('not_found', `group ${id} not found in this directory`);
}

function normalize(body: unknown): { resource: JsonObject; members: string[] | undefined } {
  const result = normalizeGroupInput(body);
  if (!result.ok) throw toServiceError(result.error);
  return result.value;
}

function groupColumns(resource: JsonObject): Pick<StoredGroup, 'displayName' | 'externalId'> {
  return {
    displayName: String(resource['displayName']),
    externalId: typeof resource['externalId'] === 'string' ? resource['externalId'] : null,
  };
}

/** Refuses members that are not users of this directory: a group never points at nothing. */
async function assertUsersExist(tx: Repositories, directoryId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  // Locked so a concurrent DELETE of one of these users waits for this membership change and then removes it.
  const existing = await tx.users.findExistingIds(directoryId, ids, { forShare: true });
  const missing = ids.filter((id) => !existing.has(id));
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
    throw new ServiceError('invalid_value', `members must be users of this directory; unknown user id(s): ${shown}`);
  }
}

/** Applies a membership change; returns who was really added and removed, in the IdP's order. */
async function applyMembership(
  tx: Repositories,
  directoryId: string,
  groupId: string,
  change: MembershipChange,
  at: string,
): Promise<{ added: string[]; removed: string[] }> {
  let toAdd = change.add;
  let toRemove = change.remove;
  if (change.replaceAll) {
    const wanted = new Set(change.replaceAll);
    const current = await tx.memberships.memberIds(directoryId, groupId);
    const currentSet = new Set(current);
    toRemove = current.filter((id) => !wanted.has(id));
    toAdd = change.replaceAll.filter((id) => !currentSet.has(id));
  }
  await assertUsersExist(tx, directoryId, toAdd);
  const removed = await tx.memberships.remove(directoryId, groupId, toRemove);
  const added = await tx.memberships.add(directoryId, groupId, toAdd, at);
  return { added, removed };
}

export async function createGroup(ctx: AppContext, directory: Directory, body: unknown): Promise<StoredGroup> {
  const { resource, members } = normalize(body);
  const at = ctx.clock.now().toISOString();
  const group: StoredGroup = {
    id: ctx.ids.next('grp'),
    directoryId: directory.id,
    ...groupColumns(resource),
    resource,
    version: 1,
    createdAt: at,
    updatedAt: at,
    deletedAt: null,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.groups.insert(group);
    const change = await applyMembership(tx, directory.id, group.id, { replaceAll: null, add: members ?? [], remove: [] }, at);
    const view = await groupView(tx, directory, group, { isNew: change.added.length === 0 });
    await tx.events.append(
      directory.id,
      directory.organizationId,
      [
        { type: 'group.created', data: { group: view } },
        ...(await memberEvents(tx, directory.id, groupRef(group), change)),
        ...(await afterGroupWrite(tx, directory, null, group, change)),
      ],
      at,
      ctx.requestId,
    );
  });
  return group;
}

/** Writes new attributes and a membership change as one versioned update of the group. */
async function writeGroupChange(
  ctx: AppContext,
  tx: Repositories,
  directory: Directory,
  before: StoredGroup,
  resource: JsonObject,
  change: MembershipChange,
): Promise<StoredGroup> {
  const at = ctx.clock.now().toISOString();
  const attributesChanged = !deepEqual(before.resource, resource);
  const beforeView = attributesChanged ? await groupView(tx, directory, before) : undefined;
  const members = await applyMembership(tx, directory.id, before.id, change, at);
  if (!attributesChanged && members.added.length === 0 && members.removed.length === 0) return before;
  const after: StoredGroup = { ...before, ...groupColumns(resource), resource, version: before.version + 1, updatedAt: at };
  await tx.groups.update(after);
  const events: NewEvent[] = [];
  if (beforeView) {
    const afterView = await groupView(tx, directory, after);
    // memberCount is reported by the member events themselves
    events.push({ type: 'group.updated', data: { group: afterView, previous: previousOf(beforeView, afterView, ['updatedAt', 'memberCount']) } });
  }
  events.push(...(await memberEvents(tx, directory.id, groupRef(after), members)));
  events.push(...(await afterGroupWrite(tx, directory, before, after, members)));
  await tx.events.append(directory.id, directory.organizationId, events, at, ctx.requestId);
  return after;
}

async function loadForWrite(tx: Repositories, directoryId: string, id: string, ifMatch: string | undefined): Promise<StoredGroup> {
  const group = await tx.groups.findById(directoryId, id, { forUpdate: true });
  if (!group) throw notFound(id);
  assertIfMatch(ifMatch, group.version);
  return group;
}

export async function replaceGroup(ctx: AppContext, directory: Directory, id: string, body: unknown, ifMatch?: string): Promise<StoredGroup> {
  const { resource, members } = normalize(body);
  return ctx.store.transaction(async (tx) => {
    const before = await loadForWrite(tx, directory.id, id, ifMatch);
    // PUT replaces the whole resource, members included (RFC 7644 §3.5.1): absent members means none.
    return writeGroupChange(ctx, tx, directory, before, resource, { replaceAll: members ?? [], add: [], remove: [] });
  });
}

export async function patchGroup(ctx: AppContext, directory: Directory, id: string, body: unknown, ifMatch?: string): Promise<StoredGroup> {
  const ops = parsePatchRequest(body);
  if (!ops.ok) throw toServiceError(ops.error);
  const split = splitGroupPatch(ops.value);
  if (!split.ok) throw toServiceError(split.error);
  const { attributeOps, membership } = split.value;
  return ctx.store.transaction(async (tx) => {
    const before = await loadForWrite(tx, directory.id, id, ifMatch);
    let resource = before.resource;
    if (attributeOps.length > 0) {
      const patched = applyPatch('Group', { ...before.resource, id: before.id }, attributeOps);
      if (!patched.ok) throw toServiceError(patched.error);
      const { id: _id, meta: _meta, ...rest } = patched.value;
      resource = normalize(rest).resource;
    }
    return writeGroupChange(ctx, tx, directory, before, resource, membership);
  });
}

export async function deleteGroup(ctx: AppContext, directory: Directory, id: string, ifMatch?: string): Promise<void> {
  const at = ctx.clock.now().toISOString();
  await ctx.store.transaction(async (tx) => {
    const group = await loadForWrite(tx, directory.id, id, ifMatch);
    const view = await groupView(tx, directory, group);
    // Marked deleted before its memberships go, so its members' roles are recomputed without it.
    await tx.groups.markDeleted(directory.id, id, at);
    const roleEvents = await afterGroupDelete(tx, directory, group);
    await tx.memberships.clear(directory.id, id);
    // One group.deleted stands for all its memberships: no member_removed per member.
    await tx.events.append(directory.id, directory.organizationId, [{ type: 'group.deleted', data: { group: { ...view, updatedAt: at } } }, ...roleEvents], at, ctx.requestId);
  });
}

export async function getGroup(ctx: AppContext, directory: Directory, id: string, options: { withMembers: boolean }): Promise<GroupWithMembers> {
  const group = await ctx.store.groups.findById(directory.id, id);
  if (!group) throw notFound(id);
  if (!options.withMembers) return { group };
  return { group, members: (await ctx.store.memberships.membersOf(directory.id, [id])).get(id) ?? [] };
}

export async function listGroups(
  ctx: AppContext,
  directory: Directory,
  query: { filter?: Filter; page: Page; withMembers: boolean },
): Promise<ListResult<GroupWithMembers>> {
  const seek = ctx.pageHints.find(directory.id, 'Group', query.filter, query.page.offset);
  const { total, items, version } = await ctx.store.groups.list(directory.id, query.filter, { ...query.page, seek });
  if (items.length === query.page.limit && items.length > 0) {
    ctx.pageHints.remember(directory.id, 'Group', query.filter, query.page.offset + items.length, { afterId: items[items.length - 1]!.id, version });
  }
  if (!query.withMembers || items.length === 0) return { total, version, items: items.map((group) => ({ group })) };
  const members = await ctx.store.memberships.membersOf(directory.id, items.map((g) => g.id));
  return { total, version, items: items.map((group) => ({ group, members: members.get(group.id) ?? [] })) };
}
