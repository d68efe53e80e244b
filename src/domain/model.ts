/**
 * The entities Scimitar keeps: organizations own directories; a directory receives users and
 * groups from one identity provider. Plain data, no behaviour, no wire names beyond `resource`.
 */
import type { JsonObject } from './json.js';
import type { DirectorySettings } from './directory-settings.js';

export type Provider = 'okta' | 'entra' | 'generic';
export const PROVIDERS: readonly Provider[] = ['okta', 'entra', 'generic'];

export type DirectoryStatus = 'active' | 'inactive';

export interface Organization {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}

export interface Directory {
  id: string;
  organizationId: string;
  name: string;
  provider: Provider;
  status: DirectoryStatus;
  /** Mapping rules (roles from groups, department groups); absent means every rule is off. */
  settings?: DirectorySettings;
  createdAt: string;
  updatedAt: string;
}

export interface ScimToken {
  id: string;
  directoryId: string;
  tokenSha256: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

/** A user as stored: indexed columns plus the SCIM resource the IdP last sent. */
export interface StoredUser {
  id: string;
  directoryId: string;
  userName: string;
  externalId: string | null;
  displayName: string | null;
  active: boolean;
  resource: JsonObject;
  version: number;
  source: 'scim' | 'saml_jit';
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface StoredGroup {
  id: string;
  directoryId: string;
  displayName: string;
  externalId: string | null;
  resource: JsonObject;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface GroupMember {
  userId: string;
  /** the member's displayName, else userName: SCIM's members[].display */
  display: string | null;
}
