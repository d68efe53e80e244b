/**
 * Kysely table types: the database as SQL sees it. Only store/ imports this file.
 */
import type { Generated } from 'kysely';
import type { WebhookAttemptsTable, WebhookDeadLettersTable, WebhookEndpointsTable, WebhookStreamsTable } from './webhook-schema.js';

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: string;
  updated_at: string;
  /** 'jit' or 'scim_only' (SQL default 'jit'). */
  sso_policy: Generated<string>;
}

export interface DirectoriesTable {
  id: string;
  organization_id: string;
  name: string;
  provider: string;
  status: string;
  event_seq: number;
  settings: string;
  user_count: number;
  group_count: number;
  created_at: string;
  updated_at: string;
}

export interface ScimTokensTable {
  directory_id: string;
  id: string;
  token_sha256: string;
  prefix: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface DirectoryUsersTable {
  directory_id: string;
  id: string;
  user_name: string;
  user_name_lower: string;
  external_id: string | null;
  display_name: string | null;
  display_name_lower: string | null;
  active: number;
  resource: string;
  version: number;
  source: string;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface DirectoryUserEmailsTable {
  directory_id: string;
  user_id: string;
  position: number;
  value: string;
  value_lower: string;
  type: string | null;
  is_primary: number;
}

export interface DirectoryGroupsTable {
  directory_id: string;
  id: string;
  display_name: string;
  display_name_lower: string;
  external_id: string | null;
  resource: string;
  version: number;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface GroupMembershipsTable {
  directory_id: string;
  group_id: string;
  user_id: string;
  created_at: string;
}

export interface EventsTable {
  directory_id: string;
  seq: number;
  id: string;
  organization_id: string;
  type: string;
  occurred_at: string;
  data: string;
  /** The user the event is about (user.*, group.member_*), for a user's history. */
  user_id: string | null;
  /** The SCIM request that caused the event, when one did. */
  request_id: string | null;
}

export interface ScimRequestLogTable {
  directory_id: string;
  id: string;
  at: string;
  request_id: string;
  method: string;
  path: string;
  query: string | null;
  status: number;
  duration_ms: number;
  scim_type: string | null;
  detail: string | null;
  request_body: string | null;
  client_ip: string | null;
}

export interface UserRolesTable {
  directory_id: string;
  user_id: string;
  role: string;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: string;
}

export interface ApiKeysTable {
  /** '' for a global key (the column is part of the primary key, so not NULL). */
  organization_id: string;
  id: string;
  name: string;
  key_sha256: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface PortalLinksTable {
  organization_id: string;
  id: string;
  token_sha256: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_ip: string | null;
}

export interface AdminUsersTable {
  id: string;
  email: string;
  email_lower: string;
  password_hash: string;
  created_at: string;
  last_login_at: string | null;
}

export interface PortalSessionsTable {
  id_sha256: string;
  /** '' for a console (admin) session. */
  organization_id: string;
  admin_user_id: string | null;
  portal_link_id: string | null;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface OrganizationDomainsTable {
  /** Lower-case; unique across organizations. */
  domain: string;
  organization_id: string;
  created_at: string;
}

export interface SsoConnectionsTable {
  organization_id: string;
  id: string;
  name: string;
  directory_id: string;
  status: string;
  idp_entity_id: string;
  idp_sso_url: string;
  /** JSON array of base64 DER certificates. */
  idp_certificates: string;
  want_authn_requests_signed: number;
  metadata_source: string;
  metadata_url: string | null;
  metadata_fetched_at: string | null;
  allow_idp_initiated: number;
  /** JSON array of URLs. */
  redirect_urls: string;
  default_redirect_url: string | null;
  sp_private_key: string;
  sp_certificate: string;
  created_at: string;
  updated_at: string;
}

export interface SsoIdentitiesTable {
  connection_id: string;
  subject: string;
  directory_id: string;
  user_id: string;
  created_at: string;
  last_sign_in_at: string;
}

export interface SsoRequestsTable {
  id: string;
  connection_id: string;
  redirect_uri: string;
  state: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SsoReplayTable {
  connection_id: string;
  assertion_id: string;
  expires_at: string;
}

export interface SsoCodesTable {
  code_sha256: string;
  organization_id: string;
  connection_id: string;
  /** JSON SsoProfile. */
  profile: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SsoAttemptsTable {
  connection_id: string;
  id: string;
  at: string;
  correlation_id: string;
  flow: string;
  outcome: string;
  failure_code: string | null;
  detail: string | null;
  want: string | null;
  got: string | null;
  subject: string | null;
  user_id: string | null;
  client_ip: string | null;
}

export interface Database {
  organizations: OrganizationsTable;
  directories: DirectoriesTable;
  scim_tokens: ScimTokensTable;
  directory_users: DirectoryUsersTable;
  directory_user_emails: DirectoryUserEmailsTable;
  directory_groups: DirectoryGroupsTable;
  group_memberships: GroupMembershipsTable;
  events: EventsTable;
  scim_request_log: ScimRequestLogTable;
  user_roles: UserRolesTable;
  api_keys: ApiKeysTable;
  schema_migrations: SchemaMigrationsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_streams: WebhookStreamsTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_dead_letters: WebhookDeadLettersTable;
  portal_links: PortalLinksTable;
  admin_users: AdminUsersTable;
  portal_sessions: PortalSessionsTable;
  organization_domains: OrganizationDomainsTable;
  sso_connections: SsoConnectionsTable;
  sso_identities: SsoIdentitiesTable;
  sso_requests: SsoRequestsTable;
  sso_replay: SsoReplayTable;
  sso_codes: SsoCodesTable;
  sso_attempts: SsoAttemptsTable;
}
