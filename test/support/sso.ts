/**
 * SAML sign-in under test: a Scimitar on loopback (startPortalApp) with an organization, a
 * directory, an email domain and API keys, SAML connections to a test IdP (test/support/saml-idp.ts),
 * and a browser that plays the whole dance over real HTTP: GET /sso/authorize, follow the 302 to the
 * IdP, decode the AuthnRequest (base64 + raw DEFLATE), have the IdP sign a Response answering it,
 * and POST it to the ACS like the IdP's auto-submit form. Plus readers for what a sign-in leaves
 * behind (attempts, events, users) so a test states what it checks and nothing else.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import type { DirectoryEvent } from '../../src/domain/events.js';
import type { SsoAttempt, SsoConnection, SsoProfile } from '../../src/domain/sso.js';
import type { StoredUser } from '../../src/domain/model.js';
import type { ScimitarOptions } from '../../src/runtime/create-scimitar.js';
import type { DialectName } from './databases.js';
import { startPortalApp, type PortalApp } from './portal.js';
import { createTestIdp, createTestKeyPair, toBase64, type TestIdp, type TestKeyPair, type TestResponseOptions } from './saml-idp.js';

/** Real time plus an offset the test moves. */
export class SettableClock {
  offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
}

/** Keys are slow to make (~100 ms each): one set per test process. */
let sharedKeys: { idp: TestKeyPair; attacker: TestKeyPair; sp: TestKeyPair } | undefined;
export function testKeys() {
  sharedKeys ??= { idp: createTestKeyPair('Test IdP'), attacker: createTestKeyPair('attacker'), sp: createTestKeyPair('Scimitar SP') };
  return sharedKeys;
}

export const APP_CALLBACK = 'https://host-app.example/auth/callback';
export const APP_HOME = 'https://host-app.example/home';
export const APP_OTHER = 'https://host-app.example/admin';

export interface SsoWorld {
  app: PortalApp;
  url: string;
  clock: SettableClock;
  idp: TestIdp;
  organizationId: string;
  directoryId: string;
  scimToken: string;
  /** An API key of the organization. */
  apiKey: string;
  domain: string;
  close(): Promise<void>;
}

export async function startSsoWorld(dialect: DialectName, options: Partial<ScimitarOptions> = {}): Promise<SsoWorld> {
  const clock = new SettableClock();
  const app = await startPortalApp(dialect, { clock, ...options });
  const admin = app.scimitar.admin;
  const org = await admin.createOrganization({ name: 'Acme' });
  const { directory, token } = await admin.createDirectory({ organizationId: org.id, provider: 'okta' });
  const domain = `acme-${randomBytes(3).toString('hex')}.test`;
  await app.scimitar.store.sso.setDomains(org.id, [domain], clock.now().toISOString());
  const apiKey = (await admin.createApiKey({ organizationId: org.id })).key;
  const keys = testKeys();
  const idp = createTestIdp({ style: 'okta', key: keys.idp, attackerKey: keys.attacker, entityId: `http://www.okta.com/exk${randomBytes(6).toString('hex')}` });
  return { app, url: app.url, clock, idp, organizationId: org.id, directoryId: directory.id, scimToken: token, apiKey, domain, close: () => app.close() };
}

/** A connection of the world's organization to its IdP, written through the store port. */
export async function addConnection(world: SsoWorld, overrides: Partial<SsoConnection> = {}): Promise<SsoConnection> {
  const at = world.clock.now().toISOString();
  const keys = testKeys();
  const connection: SsoConnection = {
    id: `conn_${randomBytes(8).toString('hex')}`,
    organizationId: world.organizationId,
    name: 'Okta',
    directoryId: world.directoryId,
    status: 'active',
    idpEntityId: world.idp.entityId,
    idpSsoUrl: world.idp.ssoUrl,
    idpCertificates: [world.idp.key.certificateBase64],
    wantAuthnRequestsSigned: false,
    metadataSource: 'fields',
    metadataUrl: null,
    metadataFetchedAt: null,
    allowIdpInitiated: false,
    redirectUrls: [APP_CALLBACK, APP_HOME],
    defaultRedirectUrl: APP_HOME,
    spPrivateKeyPem: keys.sp.privateKeyPem,
    spCertificate: keys.sp.certificateBase64,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
  await world.app.scimitar.store.sso.insertConnection(connection);
  return connection;
}

export const spUrls = (world: SsoWorld, connectionId: string) => ({
  entityId: `${world.url}/sso/metadata/${connectionId}`,
  acsUrl: `${world.url}/sso/acs/${connectionId}`,
});

export interface AuthnRequestSeen {
  id: string;
  relayState: string | null;
  xml: string;
  acsUrl: string;
  issuer: string;
  destination: string;
  sigAlg: string | null;
  signature: string | null;
  /** The exact query bytes the signature covers (SAMLRequest, RelayState, SigAlg). */
  signedQuery: string;
}

/** What the IdP sees: the AuthnRequest of an HTTP-Redirect URL, inflated. */
export function decodeAuthnRequest(location: string): AuthnRequestSeen {
  const url = new URL(location);
  const encoded = url.searchParams.get('SAMLRequest');
  assert.ok(encoded, `no SAMLRequest in ${location}`);
  const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
  const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(xml)?.[1] ?? '';
  const raw = url.search.slice(1);
  return {
    id: attr('ID'),
    relayState: url.searchParams.get('RelayState'),
    xml,
    acsUrl: attr('AssertionConsumerServiceURL'),
    destination: attr('Destination'),
    issuer: /<saml:Issuer>([^<]*)<\/saml:Issuer>/.exec(xml)?.[1] ?? '',
    sigAlg: url.searchParams.get('SigAlg'),
    signature: url.searchParams.get('Signature'),
    signedQuery: raw.replace(/&Signature=[^&]*$/, ''),
  };
}

export interface Answer {
  status: number;
  location: string | null;
  html: string;
  headers: Headers;
}

const answer = async (response: Response): Promise<Answer> => ({
  status: response.status,
  location: response.headers.get('location'),
  html: await response.text(),
  headers: response.headers,
});

export async function authorize(world: SsoWorld, params: Record<string, string>): Promise<Answer> {
  return answer(await fetch(`${world.url}/sso/authorize?${new URLSearchParams(params)}`, { redirect: 'manual' }));
}

/** The IdP's auto-submit form, posted by the browser. */
export async function postToAcs(world: SsoWorld, connectionId: string, samlResponse: string, relayState?: string | null, headers: Record<string, string> = {}): Promise<Answer> {
  const form = new URLSearchParams({ SAMLResponse: samlResponse });
  if (relayState != null) form.set('RelayState', relayState);
  return answer(
    await fetch(`${world.url}/sso/acs/${connectionId}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://idp.example', 'sec-fetch-site': 'cross-site', ...headers },
      body: form.toString(),
    }),
  );
}

export interface SignInOptions {
  /** Response options (nameId, attributes, ...), over a legitimate answer to the request. */
  response?: Partial<TestResponseOptions>;
  /** Changes the signed XML before it is posted (attacks). */
  mutate?: (xml: string) => string;
  /** Posts a different RelayState than the request's. */
  relayState?: string | null;
  redirectUri?: string;
  state?: string;
  /** The clock moves this far between the IdP signing and the browser posting. */
  delayMs?: number;
}

export interface SignInRun {
  authorize: Answer;
  request: AuthnRequestSeen;
  acs: Answer;
  /** The code and state of the final redirect, when there is one. */
  code: string | null;
  state: string | null;
}

/** The whole SP-initiated sign-in, as a browser between our authorize URL and the IdP does it. */
export async function signIn(world: SsoWorld, connection: SsoConnection, o: SignInOptions = {}): Promise<SignInRun> {
  const started = await authorize(world, {
    organization: world.domain,
    connection: connection.id,
    redirect_uri: o.redirectUri ?? APP_CALLBACK,
    state: o.state ?? 'st-123',
  });
  assert.equal(started.status, 302, started.html);
  assert.ok(started.location!.startsWith(connection.idpSsoUrl), started.location!);
  const request = decodeAuthnRequest(started.location!);
  const urls = spUrls(world, connection.id);
  let xml = world.idp.responseXml({
    now: world.clock.now(),
    audience: request.issuer,
    recipient: request.acsUrl,
    nameId: 'ada@example.com',
    inResponseTo: request.id,
    attributes: { email: ['ada@example.com'], firstName: ['Ada'], lastName: ['Lovelace'] },
    ...o.response,
  });
  assert.equal(request.acsUrl, urls.acsUrl);
  if (o.mutate) xml = o.mutate(xml);
  world.clock.offsetMs += o.delayMs ?? 0;
  try {
    const acs = await postToAcs(world, connection.id, toBase64(xml), o.relayState === undefined ? request.relayState : o.relayState);
    const target = acs.status === 302 && acs.location ? new URL(acs.location) : undefined;
    return { authorize: started, request, acs, code: target?.searchParams.get('code') ?? null, state: target?.searchParams.get('state') ?? null };
  } finally {
    world.clock.offsetMs -= o.delayMs ?? 0;
  }
}

/** An IdP-initiated post: a signed Response answering nothing. */
export async function idpInitiated(world: SsoWorld, connection: SsoConnection, o: { response?: Partial<TestResponseOptions>; relayState?: string | null; mutate?: (xml: string) => string } = {}) {
  const urls = spUrls(world, connection.id);
  let xml = world.idp.responseXml({
    now: world.clock.now(),
    audience: urls.entityId,
    recipient: urls.acsUrl,
    nameId: 'ada@example.com',
    attributes: { email: ['ada@example.com'], firstName: ['Ada'], lastName: ['Lovelace'] },
    ...o.response,
  });
  if (o.mutate) xml = o.mutate(xml);
  const samlResponse = toBase64(xml);
  const acs = await postToAcs(world, connection.id, samlResponse, o.relayState);
  const target = acs.status === 302 && acs.location ? new URL(acs.location) : undefined;
  return { acs, samlResponse, target, code: target?.searchParams.get('code') ?? null };
}

export async function redeem(world: SsoWorld, code: string, apiKey: string = world.apiKey): Promise<{ status: number; body: any }> {
  const response = await fetch(`${world.url}/sso/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return { status: response.status, body: await response.json() };
}

export async function attempts(world: SsoWorld, connectionId: string): Promise<SsoAttempt[]> {
  return world.app.scimitar.store.sso.listAttempts(connectionId, { limit: 100 });
}

export async function events(world: SsoWorld): Promise<DirectoryEvent[]> {
  return world.app.scimitar.store.events.listAfter(world.directoryId, 0, 10_000);
}

export async function users(world: SsoWorld): Promise<StoredUser[]> {
  return (await world.app.scimitar.store.users.list(world.directoryId, undefined, { offset: 0, limit: 1000 })).items;
}

const CORRELATION = /\b([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})\b/;

/**
 * A refused sign-in, end to end: an HTML page with the correlation id and no XML, the attempt
 * logged with that id, the failure code and want/got, an sso.login_failed event, no redirect (so
 * no code), and no user created or changed.
 */
export async function assertRefused(
  world: SsoWorld,
  connection: SsoConnection,
  acs: Answer,
  code: string,
  o: { status?: number; usersBefore: StoredUser[]; wantGot?: boolean },
): Promise<SsoAttempt> {
  assert.equal(acs.status, o.status ?? 400, acs.html);
  assert.equal(acs.location, null);
  assert.match(acs.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(acs.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.ok(!/<\/?(?:[A-Za-z0-9]+:)?(?:Response|Assertion|NameID|Signature)\b/.test(acs.html), 'the page echoes no SAML XML');
  assert.ok(!acs.html.includes('urn:oasis'), 'the page echoes no SAML names');
  assert.ok(!acs.html.includes('scimitar_code_'), 'no code on the page');
  const correlationId = CORRELATION.exec(acs.html)?.[1];
  assert.ok(correlationId, `the page shows a correlation id:\n${acs.html}`);

  const attempt = (await attempts(world, connection.id)).find((a) => a.correlationId === correlationId);
  assert.ok(attempt, `an sso_attempts row carries ${correlationId}`);
  assert.equal(attempt.outcome, 'failed');
  assert.equal(attempt.failureCode, code, JSON.stringify(attempt));
  if (o.wantGot !== false) {
    assert.ok(attempt.want, `want is logged: ${JSON.stringify(attempt)}`);
    assert.ok(attempt.got, `got is logged: ${JSON.stringify(attempt)}`);
  }
  const failed = (await events(world)).filter((e) => e.type === 'sso.login_failed' && (e.data as { correlationId: string }).correlationId === correlationId);
  assert.equal(failed.length, 1, 'one sso.login_failed event');
  assert.deepEqual((failed[0]!.data as { reason: string }).reason, code);
  assert.deepEqual(
    (await users(world)).map((u) => [u.id, u.version]),
    o.usersBefore.map((u) => [u.id, u.version]),
    'no user created or changed',
  );
  return attempt;
}

export type { SsoProfile };
