/**
 * Managing an organization's SAML connections: create one from the IdP's metadata URL, its metadata
 * XML or typed-in fields; change it; refresh its metadata; delete it; list its sign-in attempts; and
 * the organization's sign-in policy and email domains. Every operation is scoped by organization: a
 * connection of another organization is not_found, exactly like one that does not exist.
 *
 * Use cases return the domain SsoConnection, which holds the SP private key; what leaves the process
 * (API, CLI, portal) is ssoConnectionView, which never does.
 */
import { ServiceError } from '../../domain/errors.js';
import type { Provider } from '../../domain/model.js';
import { SSO_POLICIES, type SsoAttempt, type SsoConnection, type SsoPolicy } from '../../domain/sso.js';
import { certificateFingerprint, describeCertificate, normalizeCertificate, type CertificateInfo } from '../../saml/certificate.js';
import { parseIdpMetadata, type IdpMetadata } from '../../saml/idp-metadata.js';
import { generateSelfSignedKeyPair } from '../../saml/self-signed-certificate.js';
import { createDirectoryWithoutToken } from '../admin/create-directory.js';
import type { AppContext } from '../context.js';
import { spValues, type SpValues } from './sp-values.js';

export interface SsoIdpFields {
  /** The IdP's SingleSignOnService URL (http or https). */
  ssoUrl: string;
  /** The IdP's entity ID (Issuer). */
  entityId: string;
  /** Its signing certificates, PEM or base64; at least one. */
  certificates: string[];
}

export interface CreateSsoConnectionInput {
  organizationId: string;
  /**
   * The id to use, reserved earlier with reserveSsoConnectionId: the portal shows the ACS URL and
   * Audience URI (which contain it) before the IdP's metadata exists, because Okta's wizard asks
   * for them first. Default: a new id.
   */
  id?: string;
  name?: string;
  /** Exactly one of metadataUrl, metadataXml and fields. */
  metadataUrl?: string;
  metadataXml?: string;
  fields?: SsoIdpFields;
  /** Users are matched and created in this directory (it must belong to the organization); default: the organization's first directory, else a new one. */
  directoryId?: string;
  /** Accept IdP-initiated (unsolicited) sign-ins. Default false. */
  allowIdpInitiated?: boolean;
  /** The host app's URLs a sign-in may return to (https; http only for localhost and 127.0.0.1). */
  redirectUrls?: string[];
  /** One of redirectUrls: where an IdP-initiated sign-in lands by default. */
  defaultRedirectUrl?: string | null;
}

/** A connection id for a connection not created yet (see CreateSsoConnectionInput.id). */
export const reserveSsoConnectionId = (ctx: AppContext): string => ctx.ids.next('sso');

/** Reserved ids have our format only: they end up in URLs and must not collide with another shape. */
function checkReservedId(id: unknown): string {
  if (typeof id !== 'string' || !/^sso_[0-9a-z]{26}$/.test(id)) throw invalid('id must be an id reserved for a new connection (sso_ followed by 26 characters)');
  return id;
}

export interface SsoConnectionPatch {
  name?: string;
  allowIdpInitiated?: boolean;
  /** Replaces the list. */
  redirectUrls?: string[];
  /** null (or '') clears it. */
  defaultRedirectUrl?: string | null;
  /** A certificate to trust in addition (rollover), PEM or base64. */
  addCertificate?: string;
  /** SHA-256 fingerprint (hex, colons and a `sha256:` prefix allowed) of a certificate to stop trusting; never the last one. */
  removeCertificateFingerprint?: string;
  status?: 'active' | 'inactive';
  /** IdP values typed in; `certificates` replaces the list. A later metadata refresh of a URL connection overwrites them. */
  fields?: Partial<SsoIdpFields>;
}

/** A connection as the API, CLI and portal show it: the IdP's certificates described, our values for the IdP admin, no private key. */
export interface SsoConnectionView {
  id: string;
  organizationId: string;
  name: string;
  directoryId: string;
  status: 'active' | 'inactive';
  idpEntityId: string;
  idpSsoUrl: string;
  idpCertificates: CertificateInfo[];
  wantAuthnRequestsSigned: boolean;
  metadataSource: SsoConnection['metadataSource'];
  metadataUrl: string | null;
  metadataFetchedAt: string | null;
  allowIdpInitiated: boolean;
  redirectUrls: string[];
  defaultRedirectUrl: string | null;
  /** What to enter in the identity provider. */
  sp: SpValues;
  createdAt: string;
  updatedAt: string;
}

export interface SsoMetadataChanges {
  entityId: { from: string; to: string } | null;
  ssoUrl: { from: string; to: string } | null;
  /** SHA-256 fingerprints (hex) of certificates now trusted that were not, and of those no longer trusted. */
  certificatesAdded: string[];
  certificatesRemoved: string[];
}

export interface SsoSettings {
  organizationId: string;
  policy: SsoPolicy;
  /** Lower-case email domains that find this organization at /sso/authorize?organization=<domain>. */
  domains: string[];
}

const MAX_REDIRECT_URLS = 100;
const MAX_DOMAINS = 100;
const MAX_URL_LENGTH = 2048;
const SP_CERTIFICATE_YEARS = 10;

const invalid = (detail: string) => new ServiceError('invalid_value', detail);

// ---------------------------------------------------------------------------------------------
// Views

export function ssoConnectionView(ctx: Pick<AppContext, 'settings'>, c: SsoConnection): SsoConnectionView {
  return {
    id: c.id,
    organizationId: c.organizationId,
    name: c.name,
    directoryId: c.directoryId,
    status: c.status,
    idpEntityId: c.idpEntityId,
    idpSsoUrl: c.idpSsoUrl,
    idpCertificates: c.idpCertificates.map(describeStored),
    wantAuthnRequestsSigned: c.wantAuthnRequestsSigned,
    metadataSource: c.metadataSource,
    metadataUrl: c.metadataUrl,
    metadataFetchedAt: c.metadataFetchedAt,
    allowIdpInitiated: c.allowIdpInitiated,
    redirectUrls: [...c.redirectUrls],
    defaultRedirectUrl: c.defaultRedirectUrl,
    sp: spValues(ctx, c),
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** Stored certificates were checked on the way in; should one not parse any more, it is still listed. */
function describeStored(certificate: string): CertificateInfo {
  const info = describeCertificate(certificate);
  if (info.ok) return info.value;
  return { certificate, fingerprintSha256: certificateFingerprint(certificate), subject: '', issuer: '', serialNumber: '', notBefore: '', notAfter: '' };
}

// ---------------------------------------------------------------------------------------------
// Validation

function checkName(value: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > 200) throw invalid('name must have 1 to 200 characters');
  return name;
}

function parseUrl(value: string, field: string): URL {
  if (typeof value !== 'string' || value.trim().length === 0) throw invalid(`${field} is required`);
  if (value.length > MAX_URL_LENGTH) throw invalid(`${field} is longer than ${MAX_URL_LENGTH} characters`);
  try {
    return new URL(value.trim());
  } catch {
    throw invalid(`${field} is not a URL: "${value.slice(0, 200)}"`);
  }
}

/** The IdP's SSO URL and the metadata URL: http or https. */
function checkHttpUrl(value: string, field: string): string {
  const url = parseUrl(value, field);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(`${field} must be an http:// or https:// URL (got ${url.protocol})`);
  if (url.username || url.password) throw invalid(`${field} must not contain a user name or password`);
  return value.trim();
}

const LOOPBACK_HOSTS = ['localhost', '127.0.0.1'];

/** A URL of the host app a sign-in may return to: https, or http on localhost / 127.0.0.1 (development). Compared exactly, so kept as given. */
function checkRedirectUrl(value: string, field: string): string {
  const url = parseUrl(value, field);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname))) {
    throw invalid(`${field} must be an https:// URL (http:// only for localhost and 127.0.0.1): "${value.slice(0, 200)}"`);
  }
  if (url.username || url.password) throw invalid(`${field} must not contain a user name or password`);
  if (url.hash !== '' || value.includes('#')) throw invalid(`${field} must not have a #fragment (the code is added to its query)`);
  return value.trim();
}

function checkRedirectUrls(values: string[]): string[] {
  if (!Array.isArray(values)) throw invalid('redirectUrls must be an array of URLs');
  if (values.length > MAX_REDIRECT_URLS) throw invalid(`redirectUrls may hold at most ${MAX_REDIRECT_URLS} URLs`);
  return [...new Set(values.map((v, i) => checkRedirectUrl(v, `redirectUrls[${i}]`)))];
}

function checkDefaultRedirect(defaultRedirectUrl: string | null, redirectUrls: string[]): string | null {
  if (defaultRedirectUrl === null) return null;
  const value = defaultRedirectUrl.trim();
  if (!redirectUrls.includes(value)) {
    throw invalid(`defaultRedirectUrl must be one of redirectUrls (${redirectUrls.length === 0 ? 'none registered' : redirectUrls.join(', ')}); got "${value.slice(0, 200)}"`);
  }
  return value;
}

function checkEntityId(value: string, field: string): string {
  if (typeof value !== 'string' || value.trim().length === 0) throw invalid(`${field} is required`);
  const entityId = value.trim();
  if (entityId.length > 1024) throw invalid(`${field} is longer than 1024 characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(entityId)) throw invalid(`${field} contains control characters`);
  return entityId;
}

function checkCertificates(values: string[], field: string): string[] {
  if (!Array.isArray(values) || values.length === 0) throw invalid(`${field}: at least one IdP signing certificate is required`);
  const out: string[] = [];
  values.forEach((value, i) => {
    const normalized = normalizeCertificate(typeof value === 'string' ? value : '');
    if (!normalized.ok) throw invalid(`${field}[${i}]: ${normalized.error.detail}`);
    if (!out.includes(normalized.value)) out.push(normalized.value);
  });
  return out;
}

const normalizeFingerprint = (value: string) => value.trim().toLowerCase().replace(/^sha256:/, '').replace(/[:\s]/g, '');

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function checkDomains(values: string[]): string[] {
  if (!Array.isArray(values)) throw invalid('domains must be an array of domain names');
  if (values.length > MAX_DOMAINS) throw invalid(`an organization may claim at most ${MAX_DOMAINS} domains`);
  const out = values.map((value) => {
    const domain = (typeof value === 'string' ? value : '').trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
    if (!DOMAIN.test(domain)) throw invalid(`"${String(value).slice(0, 100)}" is not a domain name such as acme.com`);
    return domain;
  });
  return [...new Set(out)].sort();
}

function checkPolicy(value: string): SsoPolicy {
  if (!SSO_POLICIES.includes(value as SsoPolicy)) throw invalid(`policy must be one of ${SSO_POLICIES.join(', ')} (got "${value}")`);
  return value as SsoPolicy;
}

// ---------------------------------------------------------------------------------------------
// The IdP's values, from one source

interface IdpValues {
  entityId: string;
  ssoUrl: string;
  certificates: string[];
  wantAuthnRequestsSigned: boolean;
}

function fromMetadata(parsed: IdpMetadata): IdpValues {
  return { entityId: parsed.entityId, ssoUrl: parsed.ssoUrl, certificates: parsed.signingCertificates, wantAuthnRequestsSigned: parsed.wantAuthnRequestsSigned };
}

/** Says what a document obviously is instead of metadata, before the XML parser's wording (an HTML page "contains a DTD"). */
function notXml(text: string): string | undefined {
  const head = text.replace(/^\uFEFF/, '').trimStart().slice(0, 100).toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
    return 'it is an HTML page, not XML metadata (Okta: copy the "Metadata URL" of the application\'s Sign On tab; Entra: the "App Federation Metadata Url")';
  }
  if (!head.startsWith('<')) return 'it is not XML';
  return undefined;
}

function parseMetadataOrThrow(xml: string, prefix: string, entityId?: string): IdpValues {
  const obvious = notXml(xml);
  if (obvious) throw invalid(`${prefix}: ${obvious}`);
  let parsed = parseIdpMetadata(xml);
  // An EntitiesDescriptor listing several IdPs: on refresh, keep following the one we had.
  if (!parsed.ok && entityId !== undefined && /identity providers; choose one/.test(parsed.error.detail)) parsed = parseIdpMetadata(xml, { entityId });
  if (!parsed.ok) throw invalid(`${prefix}: ${parsed.error.detail}`);
  return fromMetadata(parsed.value);
}

async function fetchMetadata(ctx: AppContext, url: string, entityId?: string): Promise<IdpValues> {
  if (!ctx.fetchMetadata) throw invalid('reading a metadata URL is not available here; give the metadata XML instead');
  const xml = await ctx.fetchMetadata(url);
  return parseMetadataOrThrow(xml, 'the metadata URL did not return usable SAML metadata', entityId);
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

const onDomain = (host: string | undefined, domain: string) => host !== undefined && (host === domain || host.endsWith(`.${domain}`));

/** Which IdP this is, from its entity ID and SSO URL: the provider of a directory made for it. */
export function guessProvider(idp: { entityId: string; ssoUrl: string }): Provider {
  const hosts = [hostOf(idp.entityId), hostOf(idp.ssoUrl)];
  if (hosts.some((h) => onDomain(h, 'okta.com') || onDomain(h, 'oktapreview.com') || onDomain(h, 'okta-emea.com'))) return 'okta';
  if (hosts.some((h) => onDomain(h, 'login.microsoftonline.com') || onDomain(h, 'sts.windows.net'))) return 'entra';
  return 'generic';
}

const PROVIDER_LABELS: Record<Provider, string> = { okta: 'Okta', entra: 'Microsoft Entra ID', generic: 'SAML' };

function defaultName(provider: Provider, idp: IdpValues): string {
  if (provider !== 'generic') return PROVIDER_LABELS[provider];
  const host = hostOf(idp.ssoUrl);
  return host ? `SAML (${host})`.slice(0, 200) : 'SAML';
}

// ---------------------------------------------------------------------------------------------
// Use cases

export async function getSsoConnection(ctx: AppContext, input: { organizationId: string; connectionId: string }): Promise<SsoConnection> {
  const connection = await ctx.store.sso.findConnection(input.connectionId);
  if (!connection || connection.organizationId !== input.organizationId) throw new ServiceError('not_found', `SSO connection ${input.connectionId} does not exist`);
  return connection;
}

async function requireOrganization(ctx: AppContext, organizationId: string): Promise<void> {
  if (!(await ctx.store.organizations.findById(organizationId))) throw new ServiceError('not_found', `organization ${organizationId} does not exist`);
}

export async function listSsoConnections(ctx: AppContext, input: { organizationId: string }): Promise<SsoConnection[]> {
  await requireOrganization(ctx, input.organizationId);
  return ctx.store.sso.listConnections(input.organizationId);
}

/**
 * @example
 * const connection = await createSsoConnection(ctx, { organizationId, metadataUrl: 'https://acme.okta.com/app/exk…/sso/saml/metadata',
 *   redirectUrls: ['https://app.example.com/sso/callback'] });
 * spValues(ctx, connection).acsUrl // what the Okta admin types as "Single sign-on URL"
 */
export async function createSsoConnection(ctx: AppContext, input: CreateSsoConnectionInput): Promise<SsoConnection> {
  const sources = (['metadataUrl', 'metadataXml', 'fields'] as const).filter((k) => input[k] !== undefined && input[k] !== null);
  if (sources.length !== 1) {
    throw invalid(`give exactly one of metadataUrl, metadataXml or fields (the IdP's ssoUrl, entityId and certificates); got ${sources.length === 0 ? 'none' : sources.join(' and ')}`);
  }
  const name = input.name === undefined ? undefined : checkName(input.name);
  const redirectUrls = checkRedirectUrls(input.redirectUrls ?? []);
  const defaultRedirectUrl = checkDefaultRedirect(input.defaultRedirectUrl ? input.defaultRedirectUrl : null, redirectUrls);
  if (input.allowIdpInitiated !== undefined && typeof input.allowIdpInitiated !== 'boolean') throw invalid('allowIdpInitiated must be true or false');
  await requireOrganization(ctx, input.organizationId);
  if (input.directoryId !== undefined) {
    const directory = await ctx.store.directories.findById(input.directoryId);
    if (!directory || directory.organizationId !== input.organizationId) throw new ServiceError('not_found', `directory ${input.directoryId} does not exist`);
  }

  let idp: IdpValues;
  let metadataUrl: string | null = null;
  let metadataFetchedAt: string | null = null;
  if (input.metadataUrl !== undefined) {
    metadataUrl = checkHttpUrl(input.metadataUrl, 'metadataUrl');
    idp = await fetchMetadata(ctx, metadataUrl);
    metadataFetchedAt = ctx.clock.now().toISOString();
  } else if (input.metadataXml !== undefined) {
    if (typeof input.metadataXml !== 'string' || input.metadataXml.trim() === '') throw invalid('metadataXml is empty');
    idp = parseMetadataOrThrow(input.metadataXml, 'metadataXml');
  } else {
    const f = input.fields!;
    idp = {
      ssoUrl: checkHttpUrl(f.ssoUrl, 'fields.ssoUrl'),
      entityId: checkEntityId(f.entityId, 'fields.entityId'),
      certificates: checkCertificates(f.certificates, 'fields.certificates'),
      wantAuthnRequestsSigned: false,
    };
  }

  const provider = guessProvider(idp);
  const connectionName = name ?? defaultName(provider, idp);
  const id = input.id === undefined ? ctx.ids.next('sso') : checkReservedId(input.id);
  if (input.id !== undefined && (await ctx.store.sso.findConnection(id))) throw new ServiceError('uniqueness_conflict', 'this connection was already created; open it from the list');
  const now = ctx.clock.now();
  const sp = await generateSelfSignedKeyPair(spCommonName(ctx), {
    notBefore: new Date(now.getTime() - 60 * 60_000),
    notAfter: new Date(Date.UTC(now.getUTCFullYear() + SP_CERTIFICATE_YEARS, now.getUTCMonth(), now.getUTCDate())),
  });

  let directoryId = input.directoryId;
  if (directoryId === undefined) {
    const existing = await ctx.store.directories.listByOrganization(input.organizationId);
    directoryId = existing[0]?.id ?? (await createDirectoryWithoutToken(ctx, { organizationId: input.organizationId, provider, name: connectionName })).id;
  }

  const at = now.toISOString();
  const connection: SsoConnection = {
    id,
    organizationId: input.organizationId,
    name: connectionName,
    directoryId,
    status: 'active',
    idpEntityId: idp.entityId,
    idpSsoUrl: idp.ssoUrl,
    idpCertificates: idp.certificates,
    wantAuthnRequestsSigned: idp.wantAuthnRequestsSigned,
    metadataSource: input.metadataUrl !== undefined ? 'url' : input.metadataXml !== undefined ? 'xml' : 'fields',
    metadataUrl,
    metadataFetchedAt,
    allowIdpInitiated: input.allowIdpInitiated ?? false,
    redirectUrls,
    defaultRedirectUrl,
    spPrivateKeyPem: sp.privateKeyPem,
    spCertificate: sp.certificateBase64,
    createdAt: at,
    updatedAt: at,
  };
  await ctx.store.sso.insertConnection(connection);
  return connection;
}

function spCommonName(ctx: AppContext): string {
  const host = hostOf(ctx.settings.publicUrl);
  return (host && host.length <= 64 ? host : 'Scimitar SAML SP').slice(0, 64);
}

export async function updateSsoConnection(
  ctx: AppContext,
  input: { organizationId: string; connectionId: string; patch: SsoConnectionPatch },
): Promise<SsoConnection> {
  const patch = input.patch;
  return ctx.store.transaction(async (tx) => {
    // Locked: two concurrent changes (say, adding a certificate and editing the redirect URLs) apply one after the other.
    const current = await tx.sso.findConnection(input.connectionId, { forUpdate: true });
    if (!current || current.organizationId !== input.organizationId) throw new ServiceError('not_found', `SSO connection ${input.connectionId} does not exist`);
    const next: SsoConnection = { ...current, idpCertificates: [...current.idpCertificates], redirectUrls: [...current.redirectUrls] };
    if (patch.name !== undefined) next.name = checkName(patch.name);
    if (patch.allowIdpInitiated !== undefined) {
      if (typeof patch.allowIdpInitiated !== 'boolean') throw invalid('allowIdpInitiated must be true or false');
      next.allowIdpInitiated = patch.allowIdpInitiated;
    }
    if (patch.status !== undefined) {
      if (patch.status !== 'active' && patch.status !== 'inactive') throw invalid(`status must be active or inactive (got "${String(patch.status)}")`);
      next.status = patch.status;
    }
    if (patch.redirectUrls !== undefined) next.redirectUrls = checkRedirectUrls(patch.redirectUrls);
    if (patch.defaultRedirectUrl !== undefined) next.defaultRedirectUrl = patch.defaultRedirectUrl ? patch.defaultRedirectUrl : null;
    next.defaultRedirectUrl = checkDefaultRedirect(next.defaultRedirectUrl, next.redirectUrls);
    if (patch.fields !== undefined) {
      if (patch.fields.ssoUrl !== undefined) next.idpSsoUrl = checkHttpUrl(patch.fields.ssoUrl, 'fields.ssoUrl');
      if (patch.fields.entityId !== undefined) next.idpEntityId = checkEntityId(patch.fields.entityId, 'fields.entityId');
      if (patch.fields.certificates !== undefined) next.idpCertificates = checkCertificates(patch.fields.certificates, 'fields.certificates');
    }
    if (patch.addCertificate !== undefined) {
      const [added] = checkCertificates([patch.addCertificate], 'addCertificate');
      if (!next.idpCertificates.includes(added!)) next.idpCertificates.push(added!);
    }
    if (patch.removeCertificateFingerprint !== undefined) {
      const wanted = normalizeFingerprint(patch.removeCertificateFingerprint);
      const index = next.idpCertificates.findIndex((c) => certificateFingerprint(c) === wanted);
      if (index < 0) {
        throw invalid(
          `no IdP certificate of this connection has the SHA-256 fingerprint ${wanted}; its certificates are ${next.idpCertificates.map((c) => certificateFingerprint(c)).join(', ')}`,
        );
      }
      if (next.idpCertificates.length === 1) {
        throw invalid('this is the connection\'s only IdP certificate: add the new one (addCertificate) before removing it');
      }
      next.idpCertificates.splice(index, 1);
    }
    next.updatedAt = ctx.clock.now().toISOString();
    await tx.sso.updateConnection(next);
    return next;
  });
}

/** Reads the metadata URL again and takes the IdP's entity ID, SSO URL and certificates from it (rollover). */
export async function refreshSsoMetadata(
  ctx: AppContext,
  input: { organizationId: string; connectionId: string },
): Promise<{ connection: SsoConnection; changes: SsoMetadataChanges }> {
  const before = await getSsoConnection(ctx, input);
  if (before.metadataSource !== 'url' || !before.metadataUrl) {
    throw invalid(`SSO connection ${before.id} was set up from ${before.metadataSource === 'xml' ? 'metadata XML' : 'typed-in values'}, not a metadata URL: there is nothing to refresh; change its certificates instead`);
  }
  const idp = await fetchMetadata(ctx, before.metadataUrl, before.idpEntityId);
  return ctx.store.transaction(async (tx) => {
    const current = (await tx.sso.findConnection(before.id, { forUpdate: true })) ?? before;
    if (current.organizationId !== input.organizationId) throw new ServiceError('not_found', `SSO connection ${input.connectionId} does not exist`);
    const fingerprints = (certs: string[]) => certs.map((c) => certificateFingerprint(c));
    const was = fingerprints(current.idpCertificates);
    const now = fingerprints(idp.certificates);
    const changes: SsoMetadataChanges = {
      entityId: current.idpEntityId !== idp.entityId ? { from: current.idpEntityId, to: idp.entityId } : null,
      ssoUrl: current.idpSsoUrl !== idp.ssoUrl ? { from: current.idpSsoUrl, to: idp.ssoUrl } : null,
      certificatesAdded: now.filter((f) => !was.includes(f)),
      certificatesRemoved: was.filter((f) => !now.includes(f)),
    };
    const at = ctx.clock.now().toISOString();
    const next: SsoConnection = {
      ...current,
      idpEntityId: idp.entityId,
      idpSsoUrl: idp.ssoUrl,
      idpCertificates: idp.certificates,
      wantAuthnRequestsSigned: idp.wantAuthnRequestsSigned,
      metadataFetchedAt: at,
      updatedAt: at,
    };
    await tx.sso.updateConnection(next);
    return { connection: next, changes };
  });
}

/** Deletes the connection with its identities, pending requests and codes, and attempt log. The directory and its users stay. */
export async function deleteSsoConnection(ctx: AppContext, input: { organizationId: string; connectionId: string }): Promise<void> {
  const deleted = await ctx.store.transaction((tx) => tx.sso.deleteConnection(input.organizationId, input.connectionId));
  if (!deleted) throw new ServiceError('not_found', `SSO connection ${input.connectionId} does not exist`);
}

/** Sign-in attempts of a connection, newest first; `beforeId` continues after the last id of a page. */
export async function listSsoAttempts(
  ctx: AppContext,
  input: { organizationId: string; connectionId: string; failuresOnly?: boolean; limit?: number; beforeId?: string; search?: string },
): Promise<SsoAttempt[]> {
  const connection = await getSsoConnection(ctx, input);
  const limit = input.limit ?? 50;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) throw invalid(`limit must be an integer from 1 to 1000 (got ${limit})`);
  if (input.search !== undefined && input.search.length > 320) throw invalid('search must be at most 320 characters');
  return ctx.store.sso.listAttempts(connection.id, { limit, failuresOnly: input.failuresOnly ?? false, beforeId: input.beforeId, search: input.search });
}

// ---------------------------------------------------------------------------------------------
// The organization's sign-in policy and domains

export async function getSsoSettings(ctx: AppContext, input: { organizationId: string }): Promise<SsoSettings> {
  const policy = await ctx.store.sso.getPolicy(input.organizationId);
  if (policy === undefined) throw new ServiceError('not_found', `organization ${input.organizationId} does not exist`);
  return { organizationId: input.organizationId, policy, domains: await ctx.store.sso.listDomains(input.organizationId) };
}

/**
 * Sets the policy and/or replaces the domains, in one transaction. A domain another organization
 * holds is a uniqueness_conflict (409) and nothing changes.
 */
export async function updateSsoSettings(ctx: AppContext, input: { organizationId: string; policy?: string; domains?: string[] }): Promise<SsoSettings> {
  const policy = input.policy === undefined ? undefined : checkPolicy(input.policy);
  const domains = input.domains === undefined ? undefined : checkDomains(input.domains);
  const at = ctx.clock.now().toISOString();
  await ctx.store.transaction(async (tx) => {
    if ((await tx.sso.getPolicy(input.organizationId)) === undefined) throw new ServiceError('not_found', `organization ${input.organizationId} does not exist`);
    if (policy !== undefined) await tx.sso.setPolicy(input.organizationId, policy);
    if (domains !== undefined) {
      const { taken } = await tx.sso.setDomains(input.organizationId, domains, at);
      if (taken.length > 0) {
        throw new ServiceError('uniqueness_conflict', `${taken.join(', ')} ${taken.length > 1 ? 'are' : 'is'} already claimed by another organization`);
      }
    }
  });
  return getSsoSettings(ctx, input);
}

export const setSsoPolicy = (ctx: AppContext, input: { organizationId: string; policy: string }): Promise<SsoSettings> =>
  updateSsoSettings(ctx, { organizationId: input.organizationId, policy: input.policy });

export const setOrganizationDomains = (ctx: AppContext, input: { organizationId: string; domains: string[] }): Promise<SsoSettings> =>
  updateSsoSettings(ctx, { organizationId: input.organizationId, domains: input.domains });
