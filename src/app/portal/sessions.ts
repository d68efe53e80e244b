/**
 * Portal browser sessions. The cookie carries a random secret; the store keeps its SHA-256, so a
 * database read does not yield a usable session. Each session has its own anti-forgery token.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.js';
import { sha256Hex } from '../secrets.js';
import type { PortalPrincipal, PortalRepository, PortalSession } from './portal-repository.js';

export const SESSION_SECRET_PREFIX = 'scimitar_session_';

export interface OpenedSession {
  /** The cookie value: given to the browser once, never stored. */
  secret: string;
  session: PortalSession;
}

export function newSession(ctx: AppContext, principal: PortalPrincipal, lifetimeMs: number): OpenedSession {
  const secret = SESSION_SECRET_PREFIX + randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  return {
    secret,
    session: {
      idSha256: sha256Hex(secret),
      principal,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
    },
  };
}


/** The live session this cookie value names, if any. */
export async function findPortalSession(ctx: AppContext, secret: string | undefined): Promise<PortalSession | undefined> {
  if (!secret || !secret.startsWith(SESSION_SECRET_PREFIX) || secret.length > 200) return undefined;
  return ctx.store.portal.findSession(sha256Hex(secret), ctx.clock.now().toISOString());
}

export async function endPortalSession(ctx: AppContext, secret: string | undefined): Promise<void> {
  if (secret) await ctx.store.portal.deleteSession(sha256Hex(secret));
}
