-- Scimitar schema, version 3: the setup portal. Setup links for an organization's IT
-- administrator, the developer's console logins, browser sessions, and what the portal's
-- history and request-log screens look up.

-- A user's history: the events about one user (user.*, group.member_*, roles), newest first,
-- and the SCIM request that caused each. Rows written before this version have neither.
ALTER TABLE events ADD COLUMN user_id TEXT;
ALTER TABLE events ADD COLUMN request_id TEXT;
CREATE INDEX events_user ON events (directory_id, user_id, seq);
CREATE INDEX scim_request_log_request ON scim_request_log (directory_id, request_id);

-- Single-use setup links. Only the SHA-256 of the link token is kept.
CREATE TABLE portal_links (
  organization_id TEXT NOT NULL,
  id TEXT NOT NULL,
  token_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  -- set when the link is opened: a second use is refused
  used_at TEXT,
  used_ip TEXT,
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX portal_links_token ON portal_links (token_sha256);

-- The SaaS developer's console logins (every organization). Passwords: scrypt, salted.
CREATE TABLE admin_users (
  id TEXT NOT NULL PRIMARY KEY,
  email TEXT NOT NULL,
  email_lower TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_login_at TEXT
);
CREATE UNIQUE INDEX admin_users_email ON admin_users (email_lower);

-- Browser sessions of the portal. Only the SHA-256 of the cookie value is kept.
-- organization_id is empty for a console (admin) session, which may see every organization.
CREATE TABLE portal_sessions (
  id_sha256 TEXT NOT NULL PRIMARY KEY,
  organization_id TEXT NOT NULL,
  admin_user_id TEXT,
  portal_link_id TEXT,
  -- the session's anti-forgery token, echoed by every form
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX portal_sessions_expiry ON portal_sessions (expires_at);
