-- Scimitar schema, version 2: what the host application consumes. API keys, webhook
-- endpoints and their delivery state, per-directory mapping settings and derived roles.

-- Per-directory mapping rules (JSON): roles from groups, department groups, manager links.
ALTER TABLE directories ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

-- Roles a user holds, derived from group memberships by the directory's settings.
CREATE TABLE user_roles (
  directory_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (directory_id, user_id, role)
);

-- API keys for /api/v1: organization-scoped, or global when organization_id is empty.
CREATE TABLE api_keys (
  organization_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  key_sha256 TEXT NOT NULL,
  prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT,
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_sha256);

-- Where events are delivered. organization_id empty: every organization.
CREATE TABLE webhook_endpoints (
  organization_id TEXT NOT NULL,
  id TEXT NOT NULL,
  url TEXT NOT NULL,
  -- the signing secret (whsec_...): needed in clear to sign, so never shown after creation
  secret TEXT NOT NULL,
  -- JSON array of event types, or ["*"]
  event_types TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  -- when the endpoint was created or last re-enabled: it receives the events from then on
  enabled_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX webhook_endpoints_id ON webhook_endpoints (id);

-- One ordered stream per (directory, endpoint): events go out in sequence; the head event
-- is retried with backoff and blocks the ones behind it until delivered or dead-lettered.
CREATE TABLE webhook_streams (
  directory_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  -- last event sequence number settled (delivered, skipped by the filter, or dead-lettered)
  settled_seq BIGINT NOT NULL,
  -- attempts made so far at the head event (settled_seq + 1)
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  -- a worker's lease: another worker skips the stream until it expires
  leased_until TEXT,
  leased_by TEXT,
  PRIMARY KEY (directory_id, endpoint_id)
);
CREATE INDEX webhook_streams_due ON webhook_streams (next_attempt_at);
-- re-enabling and deleting an endpoint touch all of its streams
CREATE INDEX webhook_streams_endpoint ON webhook_streams (endpoint_id);

-- Every delivery attempt, for the API and CLI.
CREATE TABLE webhook_attempts (
  directory_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  attempt INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  at TEXT NOT NULL,
  status_code INTEGER,
  duration_ms DOUBLE PRECISION NOT NULL,
  error TEXT,
  -- 'delivered', 'failed' (will retry), 'dead' (last try failed), 'redelivered', 'redelivery_failed'
  outcome TEXT NOT NULL,
  PRIMARY KEY (directory_id, endpoint_id, event_seq, attempt)
);
-- the API and CLI list an endpoint's attempts across its directories (newest first, or of one
-- event); retention deletes by (endpoint_id, at)
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (endpoint_id, at);
CREATE INDEX webhook_attempts_event ON webhook_attempts (endpoint_id, event_id);

-- Events whose last try failed; redelivery (API/CLI) sends them again, out of order.
CREATE TABLE webhook_dead_letters (
  directory_id TEXT NOT NULL,
  endpoint_id TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  last_error TEXT,
  died_at TEXT NOT NULL,
  -- set by a redelivery request, cleared once the worker has tried it
  redeliver_requested_at TEXT,
  redelivered_at TEXT,
  -- the redelivering worker's lease, as on webhook_streams
  leased_until TEXT,
  leased_by TEXT,
  PRIMARY KEY (directory_id, endpoint_id, event_seq)
);
CREATE INDEX webhook_dead_letters_endpoint ON webhook_dead_letters (endpoint_id, event_id);
CREATE INDEX webhook_dead_letters_queued ON webhook_dead_letters (redeliver_requested_at);
