/**
 * SAML single sign-on through the REST API: an organization's connections (create from a metadata
 * URL, metadata XML or typed-in fields; read; change; refresh; delete), their sign-in attempts, and
 * the organization's sign-in policy and email domains. Every route starts with the organization in
 * the key's scope (another organization's answers 404), and the use cases look connections up by
 * that organization, so another organization's connection id is a 404 too. Responses carry `sp`:
 * what the IdP admin enters; never the SP private key.
 */
import { getOrganizationInScope } from '../../app/api/scope.js';
import {
  createSsoConnection,
  deleteSsoConnection,
  getSsoConnection,
  getSsoSettings,
  listSsoAttempts,
  listSsoConnections,
  refreshSsoMetadata,
  ssoConnectionView,
  updateSsoConnection,
  updateSsoSettings,
  type SsoConnectionPatch,
  type SsoIdpFields,
} from '../../app/sso/connections.js';
import { ServiceError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/json.js';
import { SSO_POLICIES } from '../../domain/sso.js';
import { MAX_LIMIT, onlyFields, optionalBoolean, optionalString, optionalStringArray, parseEnum, parseLimit, requiredString } from './input.js';
import { ok, type ApiRoute, type JsonSchema } from './route-types.js';

// ---------------------------------------------------------------------------------------------
// Schemas (inline: they concern these routes only)

const str = (description?: string): JsonSchema => (description ? { type: 'string', description } : { type: 'string' });
const nullableStr = (description?: string): JsonSchema => ({ type: ['string', 'null'], ...(description ? { description } : {}) });
const time = (description?: string): JsonSchema => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({ type: 'object', properties, required, additionalProperties: false });
const list = (items: JsonSchema): JsonSchema => ({ type: 'array', items });

const certificateSchema = obj({
  certificate: str('Base64 of the DER.'),
  fingerprintSha256: str('Lowercase hex; removeCertificateFingerprint takes it.'),
  subject: str(),
  issuer: str(),
  serialNumber: str(),
  notBefore: str('ISO-8601.'),
  notAfter: str('ISO-8601: plan the rollover before it.'),
});

const spSchema = obj({
  acsUrl: str('Okta "Single sign-on URL", Entra "Reply URL": <public url>/sso/acs/<connection id>.'),
  spEntityId: str('Okta "Audience URI (SP Entity ID)", Entra "Identifier": <public url>/sso/metadata/<connection id>.'),
  spMetadataUrl: str('Our SP metadata (same as the entity ID).'),
  nameIdFormat: str('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress (Okta "EmailAddress"; "Application username": Email).'),
  attributeStatements: list(obj({ name: str(), value: str('Okta expression, e.g. user.email.') })),
  optionalGroupAttribute: obj({ name: str(), filter: str() }),
  defaultRelayState: nullableStr('Okta "Default RelayState": the default redirect URL, for IdP-initiated sign-in.'),
  spCertificatePem: str('Our AuthnRequest signing certificate.'),
});

const connectionSchema = obj({
  id: str('sso_…'),
  organizationId: str(),
  name: str(),
  directoryId: str('Users signing in are matched, and created just in time, in this directory.'),
  status: { type: 'string', enum: ['active', 'inactive'] },
  idpEntityId: str(),
  idpSsoUrl: str(),
  idpCertificates: list(certificateSchema),
  wantAuthnRequestsSigned: { type: 'boolean' },
  metadataSource: { type: 'string', enum: ['url', 'xml', 'fields'] },
  metadataUrl: nullableStr(),
  metadataFetchedAt: { type: ['string', 'null'], format: 'date-time' },
  allowIdpInitiated: { type: 'boolean' },
  redirectUrls: list(str()),
  defaultRedirectUrl: nullableStr(),
  sp: spSchema,
  createdAt: time(),
  updatedAt: time(),
});

const changesSchema = obj({
  entityId: { oneOf: [{ type: 'null' }, obj({ from: str(), to: str() })] },
  ssoUrl: { oneOf: [{ type: 'null' }, obj({ from: str(), to: str() })] },
  certificatesAdded: list(str('SHA-256 fingerprint.')),
  certificatesRemoved: list(str('SHA-256 fingerprint.')),
});

const attemptSchema = obj({
  id: str(),
  connectionId: str(),
  at: time(),
  correlationId: str('Shown to the person on the error page.'),
  flow: { type: 'string', enum: ['sp_initiated', 'idp_initiated'] },
  outcome: { type: 'string', enum: ['succeeded', 'failed'] },
  failureCode: nullableStr('audience_mismatch, certificate_untrusted, user_not_provisioned, replayed, …'),
  detail: nullableStr(),
  want: nullableStr('What the connection expected.'),
  got: nullableStr('What the response carried.'),
  subject: nullableStr(),
  userId: nullableStr(),
  clientIp: nullableStr(),
});

const settingsSchema = obj({
  organizationId: str(),
  policy: { type: 'string', enum: [...SSO_POLICIES], description: 'jit: sign-in creates or updates users. scim_only: only active users the directory already has.' },
  domains: list(str('Lower-case email domain: /sso/authorize?organization=<domain> finds the organization.')),
});

const urlList: JsonSchema = list({ type: 'string', format: 'uri' });
const fieldsSchema = (required: string[]): JsonSchema => ({
  type: 'object',
  properties: {
    ssoUrl: { type: 'string', format: 'uri', description: 'The IdP\'s SingleSignOnService URL.' },
    entityId: { type: 'string', description: 'The IdP\'s entity ID (Issuer).' },
    certificates: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Signing certificates, PEM or base64.' },
  },
  required,
  additionalProperties: false,
});

// ---------------------------------------------------------------------------------------------
// Input

const CREATE_FIELDS = ['name', 'metadataUrl', 'metadataXml', 'fields', 'directoryId', 'allowIdpInitiated', 'redirectUrls', 'defaultRedirectUrl'];
const PATCH_FIELDS = ['name', 'allowIdpInitiated', 'redirectUrls', 'defaultRedirectUrl', 'addCertificate', 'removeCertificateFingerprint', 'status', 'fields'];

function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ServiceError('invalid_value', `${field} must be an object`);
  return value;
}

function readFields(body: JsonObject, partial: boolean): Partial<SsoIdpFields> | undefined {
  const fields = optionalObject(body, 'fields');
  if (!fields) return undefined;
  onlyFields(fields, ['ssoUrl', 'entityId', 'certificates']);
  const read = (name: string) => {
    try {
      return partial ? optionalString(fields, name) : requiredString(fields, name);
    } catch (error) {
      throw new ServiceError('invalid_value', `fields.${(error as ServiceError).detail}`);
    }
  };
  const certificates = optionalStringArray(fields, 'certificates');
  if (!partial && certificates === undefined) throw new ServiceError('invalid_value', 'fields.certificates: at least one IdP signing certificate is required');
  const out: Partial<SsoIdpFields> = {};
  const ssoUrl = read('ssoUrl');
  const entityId = read('entityId');
  if (ssoUrl !== undefined) out.ssoUrl = ssoUrl;
  if (entityId !== undefined) out.entityId = entityId;
  if (certificates !== undefined) out.certificates = certificates;
  return out;
}

/** A string, or null to clear; undefined when absent. */
function nullableString(body: JsonObject, field: string): string | null | undefined {
  if (!(field in body)) return undefined;
  const value = body[field];
  if (value === null) return null;
  if (typeof value !== 'string') throw new ServiceError('invalid_value', `${field} must be a string or null`);
  return value;
}

function parseBooleanQuery(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ServiceError('invalid_value', `${name} must be true or false (got "${value}")`);
}

// ---------------------------------------------------------------------------------------------
// Routes

const base = '/organizations/{id}/sso-connections';
const one = `${base}/{connectionId}`;
const ids = (params: Record<string, string>, organizationId: string) => ({ organizationId, connectionId: params['connectionId']! });

export const ssoRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: base,
    operationId: 'listSsoConnections',
    doc: { tag: 'SSO', summary: 'List SAML connections', description: 'The organization\'s connections, oldest first.', status: 200, response: obj({ data: list(connectionSchema) }), errors: [404] },
    handle: async ({ ctx, scope, params }) => {
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      return ok({ data: (await listSsoConnections(ctx, { organizationId: organization.id })).map((c) => ssoConnectionView(ctx, c)) });
    },
  },
  {
    method: 'POST',
    path: base,
    operationId: 'createSsoConnection',
    doc: {
      tag: 'SSO',
      summary: 'Create a SAML connection',
      description:
        'From exactly one of: metadataUrl (read now, http(s), 5 s, 1 MiB, 3 redirects; refreshable later), metadataXml, or fields {ssoUrl, entityId, certificates}. ' +
        'Users are matched in directoryId (of this organization), else the organization\'s first directory, else a new one (provider guessed from the IdP). ' +
        'redirectUrls are the host app\'s exact return URLs (https; http only for localhost and 127.0.0.1); defaultRedirectUrl must be one of them. ' +
        'The response\'s `sp` holds what the IdP admin enters (ACS URL, Audience URI, Name ID format, attribute statements, Default RelayState).',
      body: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          metadataUrl: { type: 'string', format: 'uri', description: 'The IdP\'s metadata URL (Okta: "Metadata URL" of the app\'s Sign On tab; Entra: "App Federation Metadata Url").' },
          metadataXml: { type: 'string', description: 'The IdP\'s metadata document.' },
          fields: fieldsSchema(['ssoUrl', 'entityId', 'certificates']),
          directoryId: { type: 'string' },
          allowIdpInitiated: { type: 'boolean', default: false, description: 'Accept sign-ins started from the IdP\'s dashboard (no AuthnRequest).' },
          redirectUrls: urlList,
          defaultRedirectUrl: { type: ['string', 'null'], format: 'uri' },
        },
        additionalProperties: false,
      },
      status: 201,
      response: connectionSchema,
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, params, body }) => {
      const input = body();
      onlyFields(input, CREATE_FIELDS);
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      const fields = readFields(input, false);
      const connection = await createSsoConnection(ctx, {
        organizationId: organization.id,
        name: optionalString(input, 'name'),
        metadataUrl: optionalString(input, 'metadataUrl'),
        metadataXml: optionalString(input, 'metadataXml'),
        fields: fields as SsoIdpFields | undefined,
        directoryId: optionalString(input, 'directoryId'),
        allowIdpInitiated: optionalBoolean(input, 'allowIdpInitiated'),
        redirectUrls: optionalStringArray(input, 'redirectUrls'),
        defaultRedirectUrl: nullableString(input, 'defaultRedirectUrl') ?? null,
      });
      return ok(ssoConnectionView(ctx, connection), 201);
    },
  },
  {
    method: 'GET',
    path: one,
    operationId: 'getSsoConnection',
    doc: { tag: 'SSO', summary: 'Get a SAML connection', status: 200, response: connectionSchema, errors: [404] },
    handle: async ({ ctx, scope, params }) => {
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      return ok(ssoConnectionView(ctx, await getSsoConnection(ctx, ids(params, organization.id))));
    },
  },
  {
    method: 'PATCH',
    path: one,
    operationId: 'updateSsoConnection',
    doc: {
      tag: 'SSO',
      summary: 'Change a SAML connection',
      description:
        'What the body names changes; the rest is kept. redirectUrls replaces the list; defaultRedirectUrl null clears it. ' +
        'Certificate rollover: addCertificate (PEM or base64) trusts one more; removeCertificateFingerprint stops trusting one, never the last. ' +
        'fields changes the IdP\'s values by hand (a later refresh of a URL connection overwrites them). status inactive stops sign-ins.',
      body: {
        type: 'object',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 },
          allowIdpInitiated: { type: 'boolean' },
          redirectUrls: urlList,
          defaultRedirectUrl: { type: ['string', 'null'], format: 'uri' },
          addCertificate: { type: 'string' },
          removeCertificateFingerprint: { type: 'string', description: 'SHA-256, hex (colons allowed).' },
          status: { type: 'string', enum: ['active', 'inactive'] },
          fields: fieldsSchema([]),
        },
        additionalProperties: false,
      },
      status: 200,
      response: connectionSchema,
      errors: [400, 404, 415],
    },
    handle: async ({ ctx, scope, params, body }) => {
      const input = body();
      onlyFields(input, PATCH_FIELDS);
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      const patch: SsoConnectionPatch = {};
      const name = optionalString(input, 'name');
      if (name !== undefined) patch.name = name;
      const allowIdpInitiated = optionalBoolean(input, 'allowIdpInitiated');
      if (allowIdpInitiated !== undefined) patch.allowIdpInitiated = allowIdpInitiated;
      const redirectUrls = optionalStringArray(input, 'redirectUrls');
      if (redirectUrls !== undefined) patch.redirectUrls = redirectUrls;
      const defaultRedirectUrl = nullableString(input, 'defaultRedirectUrl');
      if (defaultRedirectUrl !== undefined) patch.defaultRedirectUrl = defaultRedirectUrl;
      const addCertificate = optionalString(input, 'addCertificate');
      if (addCertificate !== undefined) patch.addCertificate = addCertificate;
      const remove = optionalString(input, 'removeCertificateFingerprint');
      if (remove !== undefined) patch.removeCertificateFingerprint = remove;
      const status = parseEnum('status', optionalString(input, 'status'), ['active', 'inactive'] as const);
      if (status !== undefined) patch.status = status;
      const fields = readFields(input, true);
      if (fields !== undefined) patch.fields = fields;
      return ok(ssoConnectionView(ctx, await updateSsoConnection(ctx, { ...ids(params, organization.id), patch })));
    },
  },
  {
    method: 'DELETE',
    path: one,
    operationId: 'deleteSsoConnection',
    doc: {
      tag: 'SSO',
      summary: 'Delete a SAML connection',
      description: 'With its identity links, pending sign-ins and attempt log. The directory and its users stay.',
      status: 204,
      response: {},
      errors: [404],
    },
    handle: async ({ ctx, scope, params }) => {
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      await deleteSsoConnection(ctx, ids(params, organization.id));
      return { status: 204, body: undefined };
    },
  },
  {
    method: 'POST',
    path: `${one}/refresh-metadata`,
    operationId: 'refreshSsoMetadata',
    doc: {
      tag: 'SSO',
      summary: 'Refresh a connection\'s IdP metadata',
      description: 'Connections created from a metadata URL only: reads it again and takes the entity ID, SSO URL and signing certificates from it (a certificate rollover). `changes` says what moved.',
      status: 200,
      response: obj({ connection: connectionSchema, changes: changesSchema }),
      errors: [400, 404],
    },
    handle: async ({ ctx, scope, params }) => {
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      const refreshed = await refreshSsoMetadata(ctx, ids(params, organization.id));
      return ok({ connection: ssoConnectionView(ctx, refreshed.connection), changes: refreshed.changes });
    },
  },
  {
    method: 'GET',
    path: `${one}/attempts`,
    operationId: 'listSsoAttempts',
    doc: {
      tag: 'SSO',
      summary: 'List sign-in attempts',
      description: 'Newest first, each failure with its code, what was expected (want) and what came (got), and the correlation id the person was shown.',
      query: [
        { name: 'failures', description: 'true: failed attempts only.', schema: { type: 'boolean' } },
        { name: 'limit', description: `At most this many, 1 to ${MAX_LIMIT}.`, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 50 } },
        { name: 'before', description: 'An attempt id: continue after it (nextCursor of the previous page).', schema: { type: 'string' } },
      ],
      status: 200,
      response: obj({ data: list(attemptSchema), nextCursor: nullableStr('Pass as `before` for the next page; null at the end.') }),
      errors: [400, 404],
    },
    handle: async ({ ctx, scope, params, query }) => {
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      const limit = query['limit'] === undefined ? 50 : parseLimit(query['limit']);
      const data = await listSsoAttempts(ctx, {
        ...ids(params, organization.id),
        failuresOnly: parseBooleanQuery('failures', query['failures']) ?? false,
        limit,
        beforeId: query['before'],
      });
      return ok({ data, nextCursor: data.length === limit ? data[data.length - 1]!.id : null });
    },
  },
  {
    method: 'GET',
    path: '/organizations/{id}/sso-settings',
    operationId: 'getSsoSettings',
    doc: { tag: 'SSO', summary: 'Get the organization\'s sign-in policy and domains', status: 200, response: settingsSchema, errors: [404] },
    handle: async ({ ctx, scope, params }) => {
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      return ok(await getSsoSettings(ctx, { organizationId: organization.id }));
    },
  },
  {
    method: 'PUT',
    path: '/organizations/{id}/sso-settings',
    operationId: 'setSsoSettings',
    doc: {
      tag: 'SSO',
      summary: 'Set the organization\'s sign-in policy and domains',
      description:
        'Replaces both. policy: jit (sign-in creates and updates users) or scim_only (only active users the directory already has). ' +
        'domains: email domains (lower-cased) that find the organization at /sso/authorize; a domain another organization holds is a 409 and nothing changes.',
      body: {
        type: 'object',
        properties: { policy: { type: 'string', enum: [...SSO_POLICIES] }, domains: { type: 'array', maxItems: 100, items: { type: 'string' } } },
        required: ['policy', 'domains'],
        additionalProperties: false,
      },
      status: 200,
      response: settingsSchema,
      errors: [400, 404, 409, 415],
    },
    handle: async ({ ctx, scope, params, body }) => {
      const input = body();
      onlyFields(input, ['policy', 'domains']);
      const organization = await getOrganizationInScope(ctx, scope, params['id']!);
      const domains = optionalStringArray(input, 'domains');
      if (domains === undefined) throw new ServiceError('invalid_value', 'domains is required (an empty array removes them all)');
      return ok(await updateSsoSettings(ctx, { organizationId: organization.id, policy: requiredString(input, 'policy'), domains }));
    },
  },
];
