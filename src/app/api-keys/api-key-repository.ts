/**
 * The storage port for API keys (implemented in store/api-keys.ts). Lookups are by SHA-256:
 * the key itself is never stored or passed to the store.
 */
import type { ApiKey } from '../../domain/api-key.js';

export interface ApiKeyRepository {
  insert(key: ApiKey): Promise<void>;
  /** The key whose hash this is, revoked or not. */
  findByHash(sha256: string): Promise<ApiKey | undefined>;
  findById(id: string): Promise<ApiKey | undefined>;
  /** Every key, oldest first (operators list them from the CLI). */
  list(): Promise<ApiKey[]>;
  /** Sets revoked_at unless already revoked; returns whether this call revoked it. */
  revoke(organizationId: string | null, id: string, at: string): Promise<boolean>;
  markUsed(organizationId: string | null, id: string, at: string): Promise<void>;
}
