-- Scimitar schema, version 4: SAML single sign-on. Connections to an organization's IdP, the
-- sign-in requests in flight, assertion ids already used (replay), one-time codes handed to the
-- host app, and a log of sign-in attempts with the precise reason of each failure.

-- Sign-in policy of an organization: 'jit' creates or updates users on sign-in; 'scim_only'
-- lets in only users the directory already has (provisioned by SCIM) and who are active.
ALTER TABLE organizations ADD COLUMN sso_policy TEXT NOT NULL DEFAULT 'jit';

-- Email domains of an organization, so /sso/authorize?organization=acme.com finds it.
CREATE TABLE organization_domains (
  domain TEXT NOT NULL PRIMARY KEY,
  organization_id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX organization_domains_organization ON organization_domains (organization_id, domain);

CREATE TABLE sso_connections (
  organization_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  -- the directory that users signing in through this connection are matched in and created in
  directory_id TEXT NOT NULL,
  status TEXT NOT NULL,
  idp_entity_id TEXT NOT NULL,
  idp_sso_url TEXT NOT NULL,
  -- JSON array of base64 DER certificates: every one is trusted, so a rollover needs no downtime
  idp_certificates TEXT NOT NULL,
  want_authn_requests_signed INTEGER NOT NULL,
  -- where the metadata came from ('url', 'xml' or 'fields') and, for 'url', where and when
  metadata_source TEXT NOT NULL,
  metadata_url TEXT,
  metadata_fetched_at TEXT,
  allow_idp_initiated INTEGER NOT NULL,
  -- JSON array of the host app's URLs a sign-in may return to; the default one for IdP-initiated
  redirect_urls TEXT NOT NULL,
  default_redirect_url TEXT,
  -- the SP's request-signing key (PEM) and certificate (base64 DER), made at creation
  sp_private_key TEXT NOT NULL,
  sp_certificate TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX sso_connections_id ON sso_connections (id);

-- A user's identity at a connection's IdP (the NameID), linked to the user in the directory.
CREATE TABLE sso_identities (
  connection_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  directory_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_sign_in_at TEXT NOT NULL,
  PRIMARY KEY (connection_id, subject)
);
CREATE INDEX sso_identities_user ON sso_identities (directory_id, user_id);

-- AuthnRequests sent and not yet answered (InResponseTo must name one of them, once).
CREATE TABLE sso_requests (
  id TEXT NOT NULL PRIMARY KEY,
  connection_id TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  state TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX sso_requests_expiry ON sso_requests (expires_at);

-- Assertion ids already accepted: each is accepted once, and kept until it would expire anyway.
CREATE TABLE sso_replay (
  connection_id TEXT NOT NULL,
  assertion_id TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  PRIMARY KEY (connection_id, assertion_id)
);
CREATE INDEX sso_replay_expiry ON sso_replay (expires_at);

-- One-time codes the host app exchanges for the profile (POST /sso/token): SHA-256 only, 60 s.
CREATE TABLE sso_codes (
  code_sha256 TEXT NOT NULL PRIMARY KEY,
  organization_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  profile TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX sso_codes_expiry ON sso_codes (expires_at);

-- Every sign-in attempt of a connection, for the portal's connection log.
CREATE TABLE sso_attempts (
  connection_id TEXT NOT NULL,
  id TEXT NOT NULL,
  at TEXT NOT NULL,
  -- shown to the user on the error page, so they can quote it
  correlation_id TEXT NOT NULL,
  flow TEXT NOT NULL,
  outcome TEXT NOT NULL,
  failure_code TEXT,
  detail TEXT,
  want TEXT,
  got TEXT,
  subject TEXT,
  user_id TEXT,
  client_ip TEXT,
  PRIMARY KEY (connection_id, id)
);
CREATE INDEX sso_attempts_at ON sso_attempts (connection_id, at);
