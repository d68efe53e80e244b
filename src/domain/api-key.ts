/**
 * API keys for the host app's REST API (/api/v1). A key is scoped to one organization or is
 * global (every organization). Only its SHA-256 is kept; the key itself is shown once.
 */

export interface ApiKey {
  id: string;
  /** The organization the key may see, or null for a global key (all organizations). */
  organizationId: string | null;
  name: string;
  keySha256: string;
  /** Enough to recognise the key in a list, never enough to use it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/**
 * What an authenticated API request may see. Every API use case takes it and answers
 * not_found for anything outside it, so another organization's objects are indistinguishable
 * from objects that do not exist.
 */
export interface ApiScope {
  keyId: string;
  /** null: a global key. */
  organizationId: string | null;
}
