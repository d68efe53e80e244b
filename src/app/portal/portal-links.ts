/**
 * Setup links: the SaaS developer hands one to a customer's IT administrator. A link is
 * single-use, expires (24 h by default), is stored as SHA-256 only, and opens a session limited
 * to its organization. Opening it is a POST from the landing page, so a mail scanner that
 * fetches the URL does not use it up.
 */
import { ServiceError } from '../../domain/errors.js';
import type { Organization } from '../../domain/model.js';
import type { AppContext } from '../context.js';
import { issueSecret, sha256Hex } from '../secrets.js';
import type { PortalLink } from './portal-repository.js';
import { newSession, type OpenedSession } from './sessions.js';

export const PORTAL_LINK_PREFIX = 'scimitar_setup_';
export const DEFAULT_LINK_LIFETIME_MS = 24 * 3_600_000;
const MAX_LINK_LIFETIME_MS = 30 * 24 * 3_600_000;

export interface IssuedPortalLink {
  id: string;
  organizationId: string;
  /** The URL to send to the IT administrator: shown once. */
  url: string;
  expiresAt: string;
}

export const portalLinkUrl = (ctx: AppContext, token: string): string => `${ctx.settings.publicUrl}/portal/link/${token}`;

export async function issuePortalLink(ctx: AppContext, input: { organizationId: string; expiresInMs?: number }): Promise<IssuedPortalLink> {
  const lifetime = input.expiresInMs ?? DEFAULT_LINK_LIFETIME_MS;
  if (!Number.isFinite(lifetime) || lifetime < 60_000 || lifetime > MAX_LINK_LIFETIME_MS) {
    throw new ServiceError('invalid_value', 'a setup link must expire between 1 minute and 30 days from now');
  }
  const organization = await ctx.store.organizations.findById(input.organizationId);
  if (!organization) throw new ServiceError('not_found', `organization ${input.organizationId} does not exist`);
  const now = ctx.clock.now();
  const secret = issueSecret(PORTAL_LINK_PREFIX);
  const link: PortalLink = {
    id: ctx.ids.next('lnk'),
    organizationId: organization.id,
    tokenSha256: secret.sha256,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetime).toISOString(),
    usedAt: null,
    usedIp: null,
  };
  await ctx.store.portal.insertLink(link);
  return { id: link.id, organizationId: link.organizationId, url: portalLinkUrl(ctx, secret.secret), expiresAt: link.expiresAt };
}

/** The link and its organization, if the link can still be used; otherwise why not. */
export async function inspectPortalLink(ctx: AppContext, token: string): Promise<{ link: PortalLink; organization: Organization }> {
  const link = token.startsWith(PORTAL_LINK_PREFIX) && token.length < 200 ? await ctx.store.portal.findLinkByHash(sha256Hex(token)) : undefined;
  if (!link) throw new ServiceError('portal_link_invalid', 'this setup link is not valid; check that it was copied whole, or ask for a new one');
  if (link.usedAt) throw new ServiceError('portal_link_used', 'this setup link has already been used; setup links work once, ask for a new one');
  if (link.expiresAt <= ctx.clock.now().toISOString()) throw new ServiceError('portal_link_expired', 'this setup link has expired; ask for a new one');
  const organization = await ctx.store.organizations.findById(link.organizationId);
  if (!organization) throw new ServiceError('portal_link_invalid', 'the organization of this setup link no longer exists');
  return { link, organization };
}

/** Uses the link (once, even under concurrent attempts) and opens a session for its organization. */
export async function redeemPortalLink(ctx: AppContext, input: { token: string; clientIp: string | null; sessionLifetimeMs: number }): Promise<OpenedSession> {
  const { link } = await inspectPortalLink(ctx, input.token);
  const opened = newSession(ctx, { kind: 'organization', organizationId: link.organizationId, portalLinkId: link.id }, input.sessionLifetimeMs);
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.portal.useLink(link.organizationId, link.id, ctx.clock.now().toISOString(), input.clientIp))) {
      throw new ServiceError('portal_link_used', 'this setup link has already been used; setup links work once, ask for a new one');
    }
    await tx.portal.insertSession(opened.session);
  });
  return opened;
}
