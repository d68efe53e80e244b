/**
 * The directory as the host app sees it: one normalized shape for users and groups, whatever
 * the IdP. Events, webhooks, the directory API and the client carry these shapes.
 */
import type { JsonObject, JsonValue } from './json.js';

export type UserState = 'active' | 'inactive' | 'deleted';

export interface DirectoryUserEmail {
  value: string;
  type: string | null;
  primary: boolean;
}

export interface DirectoryUserManager {
  /** Our user id when the manager is a user of the same directory, else null. */
  id: string | null;
  /** The IdP's reference as sent (manager.value). */
  value: string | null;
  displayName: string | null;
}

export interface DirectoryUser {
  id: string;
  directoryId: string;
  organizationId: string;
  /** The IdP's own id for the user (SCIM externalId). */
  idpId: string | null;
  userName: string;
  /** The primary email, else the first one, else null. */
  email: string | null;
  emails: DirectoryUserEmail[];
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  state: UserState;
  title: string | null;
  department: string | null;
  employeeNumber: string | null;
  costCenter: string | null;
  organization: string | null;
  division: string | null;
  manager: DirectoryUserManager | null;
  /** Attributes of extension schemas other than the enterprise one, keyed by schema URN. */
  customAttributes: Record<string, JsonValue>;
  groups: { id: string; name: string }[];
  roles: string[];
  /** The SCIM resource as the IdP last set it. */
  raw: JsonObject;
  source: 'scim' | 'saml_jit';
  createdAt: string;
  updatedAt: string;
}

export interface DirectoryGroup {
  id: string;
  directoryId: string;
  organizationId: string;
  name: string;
  idpId: string | null;
  memberCount: number;
  roles: string[];
  createdAt: string;
  updatedAt: string;
}

