-- Scimitar schema, version 1. Portable SQL run unchanged on SQLite and PostgreSQL.
-- Every tenant table leads its primary key and indexes with directory_id (or organization_id),
-- so the schema can be distributed by tenant (Citus) without a rewrite.
-- Timestamps are ISO-8601 UTC text with milliseconds: they sort as they compare.

CREATE TABLE organizations (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE directories (
  id TEXT NOT NULL PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  provider TEXT NOT NULL,
  status TEXT NOT NULL,
  -- last event sequence number handed out for this directory (events are ordered per directory)
  event_seq BIGINT NOT NULL DEFAULT 0,
  -- live (not deleted) users and groups, kept with each insert and delete so that the
  -- totalResults of an unfiltered list (every page of an Okta import) is a lookup, not a count
  user_count BIGINT NOT NULL DEFAULT 0,
  group_count BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX directories_organization ON directories (organization_id, id);

CREATE TABLE scim_tokens (
  directory_id TEXT NOT NULL,
  id TEXT NOT NULL,
  token_sha256 TEXT NOT NULL,
  -- the first characters of the token, for display; never enough to use it
  prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- set when a newer token replaced this one: it keeps working until then (grace period)
  expires_at TEXT,
  revoked_at TEXT,
  last_used_at TEXT,
  last_used_ip TEXT,
  PRIMARY KEY (directory_id, id)
);
CREATE UNIQUE INDEX scim_tokens_hash ON scim_tokens (directory_id, token_sha256);

CREATE TABLE directory_users (
  directory_id TEXT NOT NULL,
  id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  user_name_lower TEXT NOT NULL,
  external_id TEXT,
  display_name TEXT,
  display_name_lower TEXT,
  active INTEGER NOT NULL,
  -- the SCIM resource as the IdP last set it (without id and meta), canonical attribute names
  resource TEXT NOT NULL,
  version INTEGER NOT NULL,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  -- SCIM DELETE is a soft delete: the user leaves SCIM reads, its history stays
  deleted_at TEXT,
  PRIMARY KEY (directory_id, id)
);
CREATE UNIQUE INDEX directory_users_user_name ON directory_users (directory_id, user_name_lower) WHERE deleted_at IS NULL;
CREATE INDEX directory_users_external_id ON directory_users (directory_id, external_id) WHERE deleted_at IS NULL;
CREATE INDEX directory_users_display_name ON directory_users (directory_id, display_name_lower) WHERE deleted_at IS NULL;
CREATE INDEX directory_users_updated_at ON directory_users (directory_id, updated_at);
-- the list order of live users: paging skips index entries, never table rows
CREATE INDEX directory_users_live ON directory_users (directory_id, id) WHERE deleted_at IS NULL;

CREATE TABLE directory_user_emails (
  directory_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  value TEXT NOT NULL,
  value_lower TEXT NOT NULL,
  type TEXT,
  is_primary INTEGER NOT NULL,
  PRIMARY KEY (directory_id, user_id, position)
);
CREATE INDEX directory_user_emails_value ON directory_user_emails (directory_id, value_lower);

CREATE TABLE directory_groups (
  directory_id TEXT NOT NULL,
  id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  display_name_lower TEXT NOT NULL,
  external_id TEXT,
  resource TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT,
  PRIMARY KEY (directory_id, id)
);
CREATE UNIQUE INDEX directory_groups_display_name ON directory_groups (directory_id, display_name_lower) WHERE deleted_at IS NULL;
CREATE INDEX directory_groups_external_id ON directory_groups (directory_id, external_id) WHERE deleted_at IS NULL;
CREATE INDEX directory_groups_updated_at ON directory_groups (directory_id, updated_at);
CREATE INDEX directory_groups_live ON directory_groups (directory_id, id) WHERE deleted_at IS NULL;

-- Membership is relational and changed by delta: adding one member to a group of 100,000 is one row.
CREATE TABLE group_memberships (
  directory_id TEXT NOT NULL,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (directory_id, group_id, user_id)
);
-- (directory_id, user_id, group_id) covers "groups of these users" so the planner never scans the primary key instead
CREATE INDEX group_memberships_user ON group_memberships (directory_id, user_id, group_id);

-- Transactional outbox: each change appends its events in the same transaction.
CREATE TABLE events (
  directory_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  type TEXT NOT NULL,
  occurred_at TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (directory_id, seq)
);
CREATE INDEX events_occurred_at ON events (directory_id, occurred_at);

CREATE TABLE scim_request_log (
  directory_id TEXT NOT NULL,
  id TEXT NOT NULL,
  at TEXT NOT NULL,
  request_id TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  query TEXT,
  status INTEGER NOT NULL,
  duration_ms DOUBLE PRECISION NOT NULL,
  scim_type TEXT,
  detail TEXT,
  request_body TEXT,
  client_ip TEXT,
  PRIMARY KEY (directory_id, id)
);
CREATE INDEX scim_request_log_at ON scim_request_log (directory_id, at);
CREATE INDEX scim_request_log_errors ON scim_request_log (directory_id, status, at);
