/**
 * Stored users and groups as SCIM returns them (RFC 7643 §3.1, §4): the resource the IdP set,
 * plus what is ours — id, meta (created, lastModified, location, resourceType, weak ETag),
 * group memberships of a user and members of a group.
 */
import type { GroupMember, StoredGroup, StoredUser } from '../domain/model.js';
import type { JsonObject, JsonValue } from './types.js';
import { URN } from './urns.js';

export const etagOf = (version: number): string => `W/"${version}"`;

function meta(resourceType: 'User' | 'Group', location: string, createdAt: string, updatedAt: string, version: number): JsonObject {
  return { resourceType, created: createdAt, lastModified: updatedAt, location, version: etagOf(version) };
}

/** `baseUrl` is the directory's SCIM base: `<public url>/scim/v2/<directoryId>`. */
export function toScimUser(user: StoredUser, baseUrl: string, groups?: { id: string; displayName: string }[]): JsonObject {
  const { schemas, externalId: _externalId, ...attributes } = user.resource;
  const out: JsonObject = { schemas: (schemas as JsonValue) ?? [URN.user], id: user.id };
  if (user.externalId !== null) out['externalId'] = user.externalId;
  Object.assign(out, attributes);
  if (groups) {
    out['groups'] = groups.map((g) => ({ value: g.id, $ref: `${baseUrl}/Groups/${g.id}`, display: g.displayName, type: 'direct' }));
  }
  out['meta'] = meta('User', `${baseUrl}/Users/${user.id}`, user.createdAt, user.updatedAt, user.version);
  return out;
}

export function toScimGroup(group: StoredGroup, baseUrl: string, members?: GroupMember[]): JsonObject {
  const { schemas, externalId: _externalId, ...attributes } = group.resource;
  const out: JsonObject = { schemas: (schemas as JsonValue) ?? [URN.group], id: group.id };
  if (group.externalId !== null) out['externalId'] = group.externalId;
  Object.assign(out, attributes);
  if (members) {
    out['members'] = members.map((m) => {
      const member: JsonObject = { value: m.userId, $ref: `${baseUrl}/Users/${m.userId}`, type: 'User' };
      if (m.display !== null) member['display'] = m.display;
      return member;
    });
  }
  out['meta'] = meta('Group', `${baseUrl}/Groups/${group.id}`, group.createdAt, group.updatedAt, group.version);
  return out;
}

export function listResponse(resources: JsonObject[], total: number, startIndex: number): JsonObject {
  return { schemas: [URN.listResponse], totalResults: total, startIndex, itemsPerPage: resources.length, Resources: resources };
}
