/**
 * /Users and /Groups: turns HTTP (query, body, If-Match) into use-case calls and use-case
 * results into SCIM JSON. No SQL, no business rules.
 */
import { toServiceError } from '../../domain/errors.js';
import * as groups from '../../app/scim/groups.js';
import * as users from '../../app/scim/users.js';
import { parseListQuery, type ListQuery, type RawListQuery } from '../../scim/list-query.js';
import { applyProjection, parseProjection, wantsAttribute, type Projection } from '../../scim/projection.js';
import { etagOf, listResponse, toScimGroup, toScimUser } from '../../scim/resource-output.js';
import { URN } from '../../scim/urns.js';
import { ServiceError } from '../../domain/errors.js';
import type { HttpResponse } from '../types.js';
import { scimJson, type RouteInput } from './handler.js';
import type { ScimRoute } from './routes.js';

const DEFAULT_COUNT = 100;

function listQueryFrom(input: RouteInput, fromBody: boolean): ListQuery {
  let raw: RawListQuery;
  if (fromBody) {
    const body = input.json();
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ServiceError('invalid_syntax', 'a search request must be a JSON object');
    const search = body as Record<string, unknown>;
    const schemas = search['schemas'];
    if (Array.isArray(schemas) && !schemas.includes(URN.searchRequest)) {
      throw new ServiceError('invalid_syntax', `schemas must contain ${URN.searchRequest}`);
    }
    raw = search;
  } else {
    const p = input.params;
    const get = (name: string) => p.get(name) ?? undefined;
    raw = { filter: get('filter'), startIndex: get('startIndex'), count: get('count'), attributes: get('attributes'), excludedAttributes: get('excludedAttributes') };
  }
  const parsed = parseListQuery(raw, { defaultCount: Math.min(DEFAULT_COUNT, input.ctx.settings.maxPageSize), maxCount: input.ctx.settings.maxPageSize });
  if (!parsed.ok) throw toServiceError(parsed.error);
  return parsed.value;
}

function projectionFrom(input: RouteInput): Projection {
  const parsed = parseProjection(input.params.get('attributes') ?? undefined, input.params.get('excludedAttributes') ?? undefined);
  if (!parsed.ok) throw toServiceError(parsed.error);
  return parsed.value;
}

const hasProjection = (p: Projection) => p.include !== undefined || p.exclude !== undefined;
const ifMatch = (input: RouteInput) => input.request.headers['if-match'];

function resourceResponse(status: number, resource: Record<string, unknown>, version: number, location?: string): HttpResponse {
  const headers: Record<string, string> = { etag: etagOf(version) };
  if (location) headers['location'] = location;
  return scimJson(status, resource as never, headers);
}

export async function handleUserRoute(r: ScimRoute, input: RouteInput): Promise<HttpResponse> {
  const { ctx, directory, baseUrl } = input;
  if (r.kind === 'users') {
    if (r.action === 'create') {
      const user = await users.createUser(ctx, directory, input.json());
      const projection = projectionFrom(input);
      // A new user (version 1) is in no group yet. A user adopted from SSO sign-in (a later version)
      // may be: its groups are left out, as in PUT and PATCH responses, rather than shown empty.
      const groups = user.version === 1 ? [] : undefined;
      return resourceResponse(201, applyProjection(toScimUser(user, baseUrl, groups), projection), user.version, `${baseUrl}/Users/${user.id}`);
    }
    const query = listQueryFrom(input, r.action === 'search');
    const withGroups = wantsAttribute(query.projection, 'groups');
    const result = await users.listUsers(ctx, directory, {
      filter: query.filter,
      page: { offset: query.startIndex - 1, limit: query.count },
      withGroups,
    });
    const resources = result.items.map(({ user, groups: g }) => applyProjection(toScimUser(user, baseUrl, withGroups ? g : undefined), query.projection));
    return scimJson(200, listResponse(resources, result.total, query.startIndex));
  }
  if (r.kind !== 'user') throw new ServiceError('not_found', 'no such SCIM endpoint');
  const projection = projectionFrom(input);
  switch (r.action) {
    case 'get': {
      const withGroups = wantsAttribute(projection, 'groups');
      const { user, groups: g } = await users.getUser(ctx, directory, r.id, { withGroups });
      return resourceResponse(200, applyProjection(toScimUser(user, baseUrl, withGroups ? g : undefined), projection), user.version);
    }
    case 'replace': {
      const user = await users.replaceUser(ctx, directory, r.id, input.json(), ifMatch(input));
      return resourceResponse(200, applyProjection(toScimUser(user, baseUrl), projection), user.version);
    }
    case 'patch': {
      const user = await users.patchUser(ctx, directory, r.id, input.json(), ifMatch(input));
      return resourceResponse(200, applyProjection(toScimUser(user, baseUrl), projection), user.version);
    }
    case 'delete':
      await users.deleteUser(ctx, directory, r.id, ifMatch(input));
      return scimJson(204, undefined);
  }
}

export async function handleGroupRoute(r: ScimRoute, input: RouteInput): Promise<HttpResponse> {
  const { ctx, directory, baseUrl } = input;
  if (r.kind === 'groups') {
    if (r.action === 'create') {
      const group = await groups.createGroup(ctx, directory, input.json());
      const { members } = await groups.getGroup(ctx, directory, group.id, { withMembers: true });
      return resourceResponse(201, applyProjection(toScimGroup(group, baseUrl, members), projectionFrom(input)), group.version, `${baseUrl}/Groups/${group.id}`);
    }
    const query = listQueryFrom(input, r.action === 'search');
    const withMembers = wantsAttribute(query.projection, 'members');
    const result = await groups.listGroups(ctx, directory, {
      filter: query.filter,
      page: { offset: query.startIndex - 1, limit: query.count },
      withMembers,
    });
    const resources = result.items.map(({ group, members }) => applyProjection(toScimGroup(group, baseUrl, members), query.projection));
    return scimJson(200, listResponse(resources, result.total, query.startIndex));
  }
  if (r.kind !== 'group') throw new ServiceError('not_found', 'no such SCIM endpoint');
  const projection = projectionFrom(input);
  const withMembers = wantsAttribute(projection, 'members');
  const render = async (status: number, groupId: string) => {
    const { group, members } = await groups.getGroup(ctx, directory, groupId, { withMembers });
    return resourceResponse(status, applyProjection(toScimGroup(group, baseUrl, members), projection), group.version);
  };
  switch (r.action) {
    case 'get':
      return render(200, r.id);
    case 'replace': {
      const group = await groups.replaceGroup(ctx, directory, r.id, input.json(), ifMatch(input));
      return render(200, group.id);
    }
    case 'patch': {
      const group = await groups.patchGroup(ctx, directory, r.id, input.json(), ifMatch(input));
      // RFC 7644 §3.5.2 allows 204; a group may have 100,000 members, so the full resource is
      // returned only when the client asks for it with attributes/excludedAttributes.
      if (!hasProjection(projection)) return scimJson(204, undefined, { etag: etagOf(group.version) });
      return render(200, group.id);
    }
    case 'delete':
      await groups.deleteGroup(ctx, directory, r.id, ifMatch(input));
      return scimJson(204, undefined);
  }
}
