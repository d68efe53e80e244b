/**
 * Bearer secrets: random, prefixed so leaks are greppable, shown once, stored as SHA-256 and
 * compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ScimToken } from '../domain/model.js';

export const SCIM_TOKEN_PREFIX = 'scimitar_scim_';

export interface IssuedSecret {
  /** The secret itself: returned to the caller once, never stored. */
  secret: string;
  sha256: string;
  /** Enough to recognise the token in a list, never enough to use it. */
  displayPrefix: string;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function issueSecret(prefix: string = SCIM_TOKEN_PREFIX): IssuedSecret {
  const secret = prefix + randomBytes(32).toString('base64url');
  return { secret, sha256: sha256Hex(secret), displayPrefix: secret.slice(0, prefix.length + 6) };
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A fresh SCIM token record for a directory: only the hash and a display prefix are kept. */
export function newScimTokenRecord(id: string, directoryId: string, secret: IssuedSecret, at: string): ScimToken {
  return {
    id,
    directoryId,
    tokenSha256: secret.sha256,
    prefix: secret.displayPrefix,
    createdAt: at,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
  };
}
