/**
 * Setup links through the REST API: the host app creates a single-use link to the setup portal
 * for one organization's IT administrator. Tenancy as everywhere: an organization-scoped key
 * may create links for its own organization only; any other organization answers 404.
 */
import { getOrganizationInScope } from '../../app/api/scope.js';
import { issuePortalLink } from '../../app/portal/portal-links.js';
import { ServiceError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/json.js';
import { onlyFields } from './input.js';
import { ok, type ApiRoute } from './route-types.js';

const HOUR_MS = 3_600_000;
const DEFAULT_HOURS = 24;
const MAX_HOURS = 30 * 24;

/** expiresInHours: a JSON number of hours (fractions allowed) from 1 minute to 30 days; default 24. */
function expiresInHours(body: JsonObject): number {
  const value = body['expiresInHours'];
  if (value === undefined || value === null) return DEFAULT_HOURS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value * 60 < 1 || value > MAX_HOURS) {
    throw new ServiceError('invalid_value', `expiresInHours must be a number of hours from 1/60 (one minute) to ${MAX_HOURS} (30 days)`);
  }
  return value;
}

export const portalRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/organizations/{id}/portal-links',
    operationId: 'createPortalLink',
    doc: {
      tag: 'Organizations',
      summary: 'Create a setup link',
      description:
        'A link to the setup portal for this organization\'s IT administrator: it opens the screens that connect Okta, Entra ID or another SCIM 2.0 directory for this organization only. ' +
        'It works once and expires after expiresInHours (default 24). The URL is shown only in this response; only its SHA-256 is stored. ' +
        'An organization-scoped key may create links for its own organization only.',
      body: {
        type: 'object',
        properties: {
          expiresInHours: { type: 'number', minimum: 1 / 60, maximum: MAX_HOURS, default: DEFAULT_HOURS, description: 'Hours until the link expires (fractions allowed), one minute to 30 days.' },
        },
        additionalProperties: false,
      },
      status: 201,
      response: {
        type: 'object',
        properties: {
          id: { type: 'string', description: 'lnk_…' },
          organizationId: { type: 'string' },
          url: { type: 'string', description: 'The setup link to send to the IT administrator (<public url>/portal/link/scimitar_setup_…). Shown only in this response.' },
          expiresAt: { type: 'string', format: 'date-time' },
        },
        required: ['id', 'organizationId', 'url', 'expiresAt'],
      },
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, params, body }) => {
      const input = body();
      onlyFields(input, ['expiresInHours']);
      const hours = expiresInHours(input);
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      const link = await issuePortalLink(ctx, { organizationId: organization.id, expiresInMs: Math.round(hours * HOUR_MS) });
      return ok({ id: link.id, organizationId: link.organizationId, url: link.url, expiresAt: link.expiresAt }, 201);
    },
  },
];
