/**
 * The directory as the host app sees it: one normalized shape for users and groups, whatever
 * the IdP (Okta, Entra, generic SCIM). Events, webhooks, the directory API and the client all
 * carry these shapes. Pure mapping from the stored SCIM resource; no I/O.
 */
import type { JsonObject, JsonValue } from '../../domain/json.js';
import type { StoredGroup, StoredUser } from '../../domain/model.js';
import { URN } from '../../scim/urns.js';
import type { DirectoryGroup, DirectoryUser, DirectoryUserEmail } from '../../domain/directory-view.js';

export type { DirectoryGroup, DirectoryUser, DirectoryUserEmail, DirectoryUserManager, UserState } from '../../domain/directory-view.js';

export interface UserRelations {
  organizationId: string;
  groups: { id: string; displayName: string }[];
  roles: string[];
  /** Our id for the manager when manager.value names a user of this directory. */
  managerUserId: string | null;
}

const str = (v: JsonValue | undefined): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const obj = (v: JsonValue | undefined): JsonObject | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);

/** The enterprise extension object of a resource, whatever the case of its key. */
function enterpriseOf(resource: JsonObject): JsonObject {
  const key = Object.keys(resource).find((k) => k.toLowerCase() === URN.enterpriseUser.toLowerCase());
  return (key && obj(resource[key])) || {};
}

export function emailsOf(resource: JsonObject): DirectoryUserEmail[] {
  const emails = resource['emails'];
  if (!Array.isArray(emails)) return [];
  return emails.flatMap((e) => {
    const email = obj(e);
    const value = email && str(email['value']);
    return value ? [{ value, type: str(email['type']), primary: email['primary'] === true }] : [];
  });
}

/** manager.value as sent: Okta and Entra send our id, an externalId, or a plain string. */
export function managerValueOf(resource: JsonObject): string | null {
  const manager = enterpriseOf(resource)['manager'];
  if (typeof manager === 'string') return str(manager);
  return str(obj(manager)?.['value']);
}

export function toDirectoryUser(user: StoredUser, relations: UserRelations): DirectoryUser {
  const r = user.resource;
  const name = obj(r['name']) ?? {};
  const enterprise = enterpriseOf(r);
  const emails = emailsOf(r);
  const managerObject = obj(enterprise['manager']);
  const managerValue = managerValueOf(r);
  const customAttributes: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(r)) {
    const lower = key.toLowerCase();
    if (lower.startsWith('urn:') && lower !== URN.enterpriseUser.toLowerCase() && lower !== URN.user.toLowerCase()) customAttributes[key] = value;
  }
  return {
    id: user.id,
    directoryId: user.directoryId,
    organizationId: relations.organizationId,
    idpId: user.externalId,
    userName: user.userName,
    email: (emails.find((e) => e.primary) ?? emails[0])?.value ?? null,
    emails,
    firstName: str(name['givenName']),
    lastName: str(name['familyName']),
    displayName: user.displayName ?? str(name['formatted']),
    state: user.deletedAt ? 'deleted' : user.active ? 'active' : 'inactive',
    title: str(r['title']),
    department: str(enterprise['department']),
    employeeNumber: str(enterprise['employeeNumber']),
    costCenter: str(enterprise['costCenter']),
    organization: str(enterprise['organization']),
    division: str(enterprise['division']),
    manager:
      managerValue || managerObject
        ? { id: relations.managerUserId, value: managerValue, displayName: str(managerObject?.['displayName']) }
        : null,
    customAttributes,
    groups: relations.groups.map((g) => ({ id: g.id, name: g.displayName })),
    roles: [...relations.roles].sort(),
    raw: r,
    source: user.source,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export function toDirectoryGroup(group: StoredGroup, relations: { organizationId: string; memberCount: number; roles: string[] }): DirectoryGroup {
  return {
    id: group.id,
    directoryId: group.directoryId,
    organizationId: relations.organizationId,
    name: group.displayName,
    idpId: group.externalId,
    memberCount: relations.memberCount,
    roles: [...relations.roles].sort(),
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  };
}
