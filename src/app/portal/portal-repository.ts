/**
 * The storage port of the setup portal (implemented in store/portal.ts): setup links, console
 * logins and browser sessions. Secrets reach the store only as SHA-256 digests.
 */

export interface PortalLink {
  id: string;
  organizationId: string;
  tokenSha256: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  usedIp: string | null;
}

export interface AdminUser {
  id: string;
  email: string;
  /** scrypt$N$r$p$salt$hash (see app/portal/passwords.ts). */
  passwordHash: string;
  createdAt: string;
  lastLoginAt: string | null;
}

/** Who a browser session belongs to: one organization's IT administrator, or the console. */
export type PortalPrincipal = { kind: 'organization'; organizationId: string; portalLinkId: string } | { kind: 'console'; adminUserId: string };

export interface PortalSession {
  idSha256: string;
  principal: PortalPrincipal;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface PortalRepository {
  insertLink(link: PortalLink): Promise<void>;
  findLinkByHash(tokenSha256: string): Promise<PortalLink | undefined>;
  /** Marks the link used unless it already was; returns whether this call used it (single use under concurrency). */
  useLink(organizationId: string, id: string, at: string, ip: string | null): Promise<boolean>;
  listLinks(organizationId: string): Promise<PortalLink[]>;

  insertAdmin(admin: AdminUser): Promise<void>;
  findAdminByEmail(email: string): Promise<AdminUser | undefined>;
  listAdmins(): Promise<AdminUser[]>;
  setAdminPassword(id: string, passwordHash: string): Promise<boolean>;
  markAdminLogin(id: string, at: string): Promise<void>;

  insertSession(session: PortalSession): Promise<void>;
  /** The session with this digest, if it has not expired at `now`. */
  findSession(idSha256: string, now: string): Promise<PortalSession | undefined>;
  deleteSession(idSha256: string): Promise<void>;
  /** Removes sessions expired before `now`, and links expired before `now`; returns how many rows. */
  purgeExpired(now: string): Promise<number>;
}
