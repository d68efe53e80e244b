/**
 * The connection use cases (app/sso/connections.ts) without HTTP, on each dialect: the metadata port
 * (the app layer fetches nothing itself), the SP key and certificate made per connection, the
 * provider guessed for a new directory, organization scoping, and the self-signed certificate module.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createSign, createVerify } from 'node:crypto';
import type { AppContext } from '../../src/app/context.js';
import { PageHints } from '../../src/app/scim/page-hints.js';
import {
  createSsoConnection,
  deleteSsoConnection,
  getSsoConnection,
  getSsoSettings,
  guessProvider,
  listSsoConnections,
  refreshSsoMetadata,
  setOrganizationDomains,
  setSsoPolicy,
  ssoConnectionView,
  updateSsoConnection,
} from '../../src/app/sso/connections.js';
import { spValues } from '../../src/app/sso/sp-values.js';
import { ServiceError } from '../../src/domain/errors.js';
import { createIdGenerator } from '../../src/runtime/system.js';
import { createSelfSignedKeyPair, generateSelfSignedKeyPair } from '../../src/saml/self-signed-certificate.js';
import { createStore } from '../../src/store/create-store.js';
import { migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open-database.js';
import type { OpenDatabase } from '../../src/store/dialects/dialect.js';
import { createTestDatabase, dialects, type TestDatabase } from '../support/databases.js';
import { createTestIdp } from '../support/saml-idp.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

async function rejects(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ServiceError, String(error));
    assert.equal(error.code, code);
    assert.match(error.detail, message);
    return true;
  });
}

describe('self-signed certificates (saml/self-signed-certificate.ts)', () => {
  test('the async and sync generators make a key and a certificate that belong together, valid as asked', async () => {
    const validity = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2060-06-30T00:00:00Z') };
    for (const pair of [await generateSelfSignedKeyPair('app.example.com', validity), createSelfSignedKeyPair('app.example.com', validity)]) {
      const x509 = new X509Certificate(pair.certificatePem);
      assert.equal(x509.subject, 'CN=app.example.com');
      assert.equal(x509.issuer, 'CN=app.example.com');
      assert.equal(new Date(x509.validFrom).toISOString(), '2026-01-01T00:00:00.000Z');
      assert.equal(new Date(x509.validTo).toISOString(), '2060-06-30T00:00:00.000Z', 'GeneralizedTime after 2049');
      assert.ok(x509.verify(x509.publicKey), 'self-signed');
      assert.equal(Buffer.from(pair.certificateBase64, 'base64').equals(x509.raw), true);
      assert.equal(x509.fingerprint256.replace(/:/g, '').toLowerCase(), pair.fingerprintSha256);
      const signature = createSign('sha256').update('x').sign(pair.privateKeyPem);
      assert.ok(createVerify('sha256').update('x').verify(pair.certificatePem, signature));
    }
  });

  test('serial numbers differ; bad input is refused', () => {
    const validity = { notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z') };
    const a = new X509Certificate(createSelfSignedKeyPair('x', validity).certificatePem);
    const b = new X509Certificate(createSelfSignedKeyPair('x', validity).certificatePem);
    assert.notEqual(a.serialNumber, b.serialNumber);
    assert.throws(() => createSelfSignedKeyPair('', validity), /commonName/);
    assert.throws(() => createSelfSignedKeyPair('x', { notBefore: validity.notAfter, notAfter: validity.notBefore }), /notAfter/);
  });
});

test('the provider of a new directory is guessed from the IdP\'s entity ID and SSO URL', () => {
  assert.equal(guessProvider({ entityId: 'http://www.okta.com/exk1', ssoUrl: 'https://acme.okta.com/app/x/sso/saml' }), 'okta');
  assert.equal(guessProvider({ entityId: 'urn:x', ssoUrl: 'https://acme.oktapreview.com/app/x/sso/saml' }), 'okta');
  assert.equal(guessProvider({ entityId: 'https://sts.windows.net/72f988bf/', ssoUrl: 'https://example.com/x' }), 'entra');
  assert.equal(guessProvider({ entityId: 'urn:x', ssoUrl: 'https://login.microsoftonline.com/72f988bf/saml2' }), 'entra');
  assert.equal(guessProvider({ entityId: 'https://notokta.com/x', ssoUrl: 'https://okta.com.evil.example/sso' }), 'generic');
  assert.equal(guessProvider({ entityId: 'https://keycloak.example.org/realms/a', ssoUrl: 'https://keycloak.example.org/realms/a/protocol/saml' }), 'generic');
});

for (const { name, skip } of await dialects()) {
  describe(`SSO connection use cases on ${name}`, { skip }, () => {
    let testDb: TestDatabase;
    let database: OpenDatabase;
    let ctx: AppContext;
    let orgA: string;
    let orgB: string;
    const idp = createTestIdp({ style: 'okta' });
    const fetched: string[] = [];
    let served = idp.metadataXml();

    before(async () => {
      testDb = await createTestDatabase(name);
      database = openDatabase(testDb.url);
      await migrate(database);
      const ids = createIdGenerator();
      ctx = {
        store: createStore(database, ids),
        pageHints: new PageHints(),
        clock: { now: () => NOW },
        ids,
        settings: { publicUrl: 'https://sso.example.com/identity', tokenGraceMs: 0, maxPageSize: 100 },
        // The port: no HTTP in the app layer.
        fetchMetadata: async (url) => {
          fetched.push(url);
          return served;
        },
      };
      orgA = ids.next('org');
      orgB = ids.next('org');
      for (const id of [orgA, orgB]) await ctx.store.organizations.insert({ id, name: id, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() });
    });
    after(async () => {
      await database?.close();
      await testDb?.drop();
    });

    test('a metadata URL is read through ctx.fetchMetadata; each connection gets its own SP key, valid from an hour ago for 10 years', async () => {
      const c = await createSsoConnection(ctx, { organizationId: orgA, metadataUrl: 'https://acme.okta.com/app/exk1/sso/saml/metadata' });
      assert.deepEqual(fetched, ['https://acme.okta.com/app/exk1/sso/saml/metadata']);
      assert.equal(c.metadataFetchedAt, NOW.toISOString());
      assert.equal(c.createdAt, NOW.toISOString());
      const x509 = new X509Certificate(Buffer.from(c.spCertificate, 'base64'));
      assert.equal(x509.subject, 'CN=sso.example.com');
      assert.equal(new Date(x509.validFrom).toISOString(), '2026-03-01T11:00:00.000Z');
      assert.equal(new Date(x509.validTo).toISOString(), '2036-03-01T00:00:00.000Z');
      assert.ok(x509.checkPrivateKey(createPrivateKey(c.spPrivateKeyPem)));
      const other = await createSsoConnection(ctx, { organizationId: orgA, metadataXml: idp.metadataXml() });
      assert.notEqual(other.spCertificate, c.spCertificate);
      assert.equal(other.directoryId, c.directoryId, 'the directory made for the first is reused');
      assert.equal((await ctx.store.directories.findById(c.directoryId))!.provider, 'okta');

      const values = spValues(ctx, c);
      assert.equal(values.acsUrl, `https://sso.example.com/identity/sso/acs/${c.id}`);
      assert.equal(values.spEntityId, `https://sso.example.com/identity/sso/metadata/${c.id}`);
      const view = ssoConnectionView(ctx, c);
      assert.equal('spPrivateKeyPem' in view, false);
      assert.doesNotMatch(JSON.stringify(view), /PRIVATE KEY/);
    });

    test('without a metadata reader, a URL is refused with a clear message', async () => {
      const { fetchMetadata: _omit, ...bare } = ctx;
      await rejects(createSsoConnection(bare, { organizationId: orgA, metadataUrl: 'https://acme.okta.com/metadata' }), 'invalid_value', /reading a metadata URL is not available here; give the metadata XML instead/);
    });

    test('everything is scoped by organization', async () => {
      const c = await createSsoConnection(ctx, { organizationId: orgA, metadataXml: idp.metadataXml() });
      const scoped = { organizationId: orgB, connectionId: c.id };
      await rejects(getSsoConnection(ctx, scoped), 'not_found', new RegExp(`SSO connection ${c.id} does not exist`));
      await rejects(updateSsoConnection(ctx, { ...scoped, patch: { name: 'x' } }), 'not_found', /does not exist/);
      await rejects(refreshSsoMetadata(ctx, scoped), 'not_found', /does not exist/);
      await rejects(deleteSsoConnection(ctx, scoped), 'not_found', /does not exist/);
      assert.equal((await listSsoConnections(ctx, { organizationId: orgB })).length, 0);
      await rejects(listSsoConnections(ctx, { organizationId: 'org_nope' }), 'not_found', /organization org_nope does not exist/);
      await rejects(createSsoConnection(ctx, { organizationId: 'org_nope', metadataXml: idp.metadataXml() }), 'not_found', /organization org_nope/);
      assert.equal((await getSsoConnection(ctx, { organizationId: orgA, connectionId: c.id })).id, c.id);
    });

    test('refresh keeps following the connection\'s IdP in metadata that lists several', async () => {
      const c = await createSsoConnection(ctx, { organizationId: orgA, metadataUrl: 'https://fed.example.com/metadata' });
      const second = createTestIdp({ style: 'okta', entityId: 'http://www.okta.com/other', key: idp.key });
      const strip = (xml: string) => xml.replace(/^<\?xml[^>]*\?>/, '');
      served = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${strip(second.metadataXml())}${strip(idp.metadataXml())}</md:EntitiesDescriptor>`;
      const refreshed = await refreshSsoMetadata(ctx, { organizationId: orgA, connectionId: c.id });
      assert.equal(refreshed.connection.idpEntityId, idp.entityId);
      assert.deepEqual(refreshed.changes, { entityId: null, ssoUrl: null, certificatesAdded: [], certificatesRemoved: [] });
      served = idp.metadataXml();
    });

    test('policy and domains: set, read, and the wrappers', async () => {
      assert.deepEqual(await getSsoSettings(ctx, { organizationId: orgB }), { organizationId: orgB, policy: 'jit', domains: [] });
      assert.equal((await setSsoPolicy(ctx, { organizationId: orgB, policy: 'scim_only' })).policy, 'scim_only');
      assert.deepEqual((await setOrganizationDomains(ctx, { organizationId: orgB, domains: ['Beta.example', 'xn--bcher-kva.example'] })).domains, ['beta.example', 'xn--bcher-kva.example']);
      await rejects(setOrganizationDomains(ctx, { organizationId: orgA, domains: ['beta.example'] }), 'uniqueness_conflict', /beta\.example is already claimed/);
      await rejects(setSsoPolicy(ctx, { organizationId: 'org_nope', policy: 'jit' }), 'not_found', /org_nope/);
      assert.equal(await ctx.store.sso.findOrganizationByDomain('BETA.example'), orgB);
    });
  });
}
