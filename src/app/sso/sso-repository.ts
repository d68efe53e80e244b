/**
 * The storage port of SAML single sign-on (implemented in store/sso.ts). Connections are
 * scoped by organization; everything a sign-in touches is scoped by connection.
 */
import type { SsoAttempt, SsoConnection, SsoPolicy, SsoProfile } from '../../domain/sso.js';

export interface SsoRequestRecord {
  /** The AuthnRequest ID (InResponseTo of the answer). */
  id: string;
  connectionId: string;
  redirectUri: string;
  state: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface SsoCodeRecord {
  codeSha256: string;
  organizationId: string;
  connectionId: string;
  profile: SsoProfile;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface SsoRepository {
  insertConnection(connection: SsoConnection): Promise<void>;
  updateConnection(connection: SsoConnection): Promise<void>;
  deleteConnection(organizationId: string, id: string): Promise<boolean>;
  /** By id alone: the ACS and metadata URLs name only the connection. `forUpdate` locks the row (PostgreSQL) until the transaction ends. */
  findConnection(id: string, options?: { forUpdate?: boolean }): Promise<SsoConnection | undefined>;
  listConnections(organizationId: string): Promise<SsoConnection[]>;

  getPolicy(organizationId: string): Promise<SsoPolicy | undefined>;
  setPolicy(organizationId: string, policy: SsoPolicy): Promise<void>;
  /** Domains are unique across organizations; returns the domains another organization already holds. */
  setDomains(organizationId: string, domains: string[], at: string): Promise<{ taken: string[] }>;
  listDomains(organizationId: string): Promise<string[]>;
  findOrganizationByDomain(domain: string): Promise<string | undefined>;

  findIdentity(connectionId: string, subject: string): Promise<{ userId: string; directoryId: string } | undefined>;
  /** Links (or re-links) the subject to the user and records the sign-in time. */
  linkIdentity(connectionId: string, subject: string, directoryId: string, userId: string, at: string): Promise<void>;

  insertRequest(request: SsoRequestRecord): Promise<void>;
  /** Marks the request used if it exists, is unused and unexpired; returns it, or undefined. Single use under concurrency. */
  consumeRequest(connectionId: string, id: string, now: string): Promise<SsoRequestRecord | undefined>;

  /** Records an accepted assertion id; false when it was already there (a replay). */
  rememberAssertion(connectionId: string, assertionId: string, expiresAt: string): Promise<boolean>;

  insertCode(code: SsoCodeRecord): Promise<void>;
  /** Marks the code used if unused and unexpired; returns it, or undefined. Single use under concurrency. */
  consumeCode(codeSha256: string, now: string): Promise<SsoCodeRecord | undefined>;

  recordAttempt(attempt: SsoAttempt): Promise<void>;
  /**
   * Newest first. `search` matches the correlation id (whole or 4+ characters of it, dashes and
   * case ignored), the attempt or user id exactly, or a part of the subject (case-insensitive).
   */
  listAttempts(connectionId: string, options: { limit: number; failuresOnly?: boolean; beforeId?: string; search?: string }): Promise<SsoAttempt[]>;

  /** Removes expired requests, replay entries, codes, and attempts older than `attemptsBefore`. */
  purgeExpired(now: string, attemptsBefore: string): Promise<number>;
}
