/**
 * Small shared values of the sign-in flow: the service provider URLs of a connection (as
 * .scratch/SSO-NOTES.md fixes them), the identifiers a sign-in makes, and the one-time code.
 */
import { randomBytes } from 'node:crypto';
import { encodeSortableId } from '../../domain/ids.js';
import type { AppSettings } from '../context.js';
import { sha256Hex } from '../secrets.js';

export const SSO_NAME_ID_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
/** Prefix of the one-time codes handed to the host app, so a leaked one is greppable. */
export const SSO_CODE_PREFIX = 'scimitar_code_';
export const SSO_REQUEST_LIFETIME_MS = 10 * 60_000;
export const SSO_CODE_LIFETIME_MS = 60_000;
/** The host app's `state`, returned untouched: bounded so a sign-in URL stays a URL. */
export const SSO_MAX_STATE_BYTES = 1024;

export interface SpUrls {
  /** Our entity ID for the connection: the Audience; also where the SP metadata is served. */
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
}

export function spUrlsOf(settings: AppSettings, connectionId: string): SpUrls {
  const metadataUrl = `${settings.publicUrl}/sso/metadata/${connectionId}`;
  return { entityId: metadataUrl, metadataUrl, acsUrl: `${settings.publicUrl}/sso/acs/${connectionId}` };
}

/** A time-ordered id (`authn_…`, `att_…`): an xs:ID too (a letter first), so it can be an AuthnRequest ID. */
export function newSsoId(prefix: 'authn' | 'att', now: Date): string {
  return `${prefix}_${encodeSortableId(now.getTime(), randomBytes(10))}`;
}

const READABLE = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** What the person signing in can quote to their IT team: `K7QM-2XPD-9HTA`. */
export function newCorrelationId(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (let i = 0; i < 12; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += READABLE[bytes[i]! % 32];
  }
  return out;
}

export function newSsoCode(): { code: string; sha256: string } {
  const code = SSO_CODE_PREFIX + randomBytes(32).toString('base64url');
  return { code, sha256: sha256Hex(code) };
}
