/**
 * SSO connections through the REST API, over real HTTP on each dialect: created from a metadata URL
 * (a local server serving the test IdP's metadata), from metadata XML and from typed-in fields; the
 * values the IdP admin enters; validation (400), directories chosen or made; changes, certificate
 * rollover by hand and by refresh; attempts; the organization's policy and domains; deletion; and
 * tenancy (another organization's key gets 404 on every route, and nothing changes).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, createVerify } from 'node:crypto';
import type { SsoAttempt } from '../../src/domain/sso.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTestIdp, createTestKeyPair, type TestIdp } from '../support/saml-idp.js';
import { api, createKey, errorCode, newTenant, type ApiResult, type RawApi, type Tenant } from '../api/helpers.js';
import { schemaErrors } from '../api/schema-check.js';
import { startMetadataServer, type MetadataServer } from './helpers.js';

const CALLBACK = 'https://app.example.com/sso/callback';
const LOCAL = 'http://localhost:3000/sso/callback';
const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

function expectError(result: ApiResult, status: number, code: string, message?: RegExp): void {
  assert.equal(result.status, status, result.text);
  assert.equal(errorCode(result), code);
  if (message) assert.match(result.body.error.message, message);
}

for (const { name, skip } of await dialects()) {
  describe(`SSO connections API on ${name}`, { skip }, () => {
    let server: TestServer;
    let a: Tenant;
    let b: Tenant;
    let global: RawApi;
    let okta: TestIdp;
    let entra: TestIdp;
    let metadata: MetadataServer;
    let doc: any;
    let fromUrl: any;

    const put = (client: RawApi, path: string, body: unknown) => client.request('PUT', path, { body });
    const conformsTo = (result: ApiResult, operationId: string) => {
      const op = Object.values<any>(doc.paths).flatMap((item) => Object.values<any>(item)).find((o) => o.operationId === operationId);
      const schema = op.responses[String(result.status)].content['application/json'].schema;
      assert.deepEqual(schemaErrors(result.body, schema, doc.components.schemas), [], `${operationId} response matches its schema`);
    };

    before(async () => {
      server = await startTestServer(name);
      a = await newTenant(server);
      b = await newTenant(server);
      global = api(server, await createKey(server));
      okta = createTestIdp({ style: 'okta' });
      entra = createTestIdp({ style: 'entra' });
      metadata = await startMetadataServer(okta.metadataXml());
      doc = (await api(server).get('/openapi.json')).body;
    });
    after(async () => {
      await metadata?.close();
      await server?.close();
    });

    test('create from the metadata URL: the IdP\'s values, the organization\'s directory, and what the IdP admin enters', async () => {
      const created = await a.api.post(`/organizations/${a.organizationId}/sso-connections`, {
        metadataUrl: metadata.url,
        redirectUrls: [CALLBACK, LOCAL],
        defaultRedirectUrl: CALLBACK,
      });
      assert.equal(created.status, 201, created.text);
      conformsTo(created, 'createSsoConnection');
      fromUrl = created.body;
      const c = created.body;
      assert.match(c.id, /^sso_[0-9a-z]{26}$/);
      assert.equal(c.organizationId, a.organizationId);
      assert.equal(c.name, 'Okta');
      assert.equal(c.directoryId, a.directoryId, 'the organization\'s existing directory');
      assert.equal(c.status, 'active');
      assert.equal(c.idpEntityId, okta.entityId);
      assert.equal(c.idpSsoUrl, okta.ssoUrl);
      assert.deepEqual(c.idpCertificates.map((x: any) => x.fingerprintSha256), [okta.key.fingerprintSha256]);
      assert.equal(c.idpCertificates[0].certificate, okta.key.certificateBase64);
      assert.match(c.idpCertificates[0].notAfter, /^2034-01-01T/);
      assert.equal(c.metadataSource, 'url');
      assert.equal(c.metadataUrl, metadata.url);
      assert.ok(Date.parse(c.metadataFetchedAt) > Date.now() - 60_000);
      assert.equal(c.allowIdpInitiated, false, 'off unless asked for');
      assert.deepEqual(c.redirectUrls, [CALLBACK, LOCAL]);
      assert.equal(c.defaultRedirectUrl, CALLBACK);
      assert.deepEqual(c.sp, {
        acsUrl: `http://127.0.0.1/sso/acs/${c.id}`,
        spEntityId: `http://127.0.0.1/sso/metadata/${c.id}`,
        spMetadataUrl: `http://127.0.0.1/sso/metadata/${c.id}`,
        nameIdFormat: EMAIL_FORMAT,
        attributeStatements: [
          { name: 'email', value: 'user.email' },
          { name: 'firstName', value: 'user.firstName' },
          { name: 'lastName', value: 'user.lastName' },
        ],
        optionalGroupAttribute: { name: 'groups', filter: 'Matches regex .*' },
        defaultRelayState: CALLBACK,
        spCertificatePem: c.sp.spCertificatePem,
      });
      assert.match(c.sp.spCertificatePem, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
      assert.doesNotMatch(created.text, /PRIVATE KEY|spPrivateKey/, 'the SP private key never leaves');

      // The stored key is the certificate's key: what it signs, the published certificate verifies.
      const stored = await server.server.scimitar.store.sso.findConnection(c.id);
      const signature = createSign('sha256').update('authn request').sign(stored!.spPrivateKeyPem);
      assert.ok(createVerify('sha256').update('authn request').verify(c.sp.spCertificatePem, signature));

      const read = await a.api.get(`/organizations/${a.organizationId}/sso-connections/${c.id}`);
      assert.equal(read.status, 200);
      conformsTo(read, 'getSsoConnection');
      assert.deepEqual(read.body, c);
      const listed = await a.api.get(`/organizations/${a.organizationId}/sso-connections`);
      conformsTo(listed, 'listSsoConnections');
      assert.deepEqual(listed.body.data.map((x: any) => x.id), [c.id]);
    });

    test('create from metadata XML, for an organization without a directory: one is made, Entra by the IdP\'s URLs', async () => {
      const org = await global.post('/organizations', { name: 'Contoso' });
      const created = await global.post(`/organizations/${org.body.id}/sso-connections`, { metadataXml: entra.metadataXml(), redirectUrls: [CALLBACK] });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.name, 'Microsoft Entra ID');
      assert.equal(created.body.metadataSource, 'xml');
      assert.equal(created.body.metadataUrl, null);
      assert.equal(created.body.metadataFetchedAt, null);
      assert.equal(created.body.idpEntityId, entra.entityId);
      assert.equal(created.body.defaultRedirectUrl, null);
      assert.equal(created.body.sp.defaultRelayState, null);
      const directory = await global.get(`/directories/${created.body.directoryId}`);
      assert.equal(directory.status, 200);
      assert.equal(directory.body.organizationId, org.body.id);
      assert.equal(directory.body.provider, 'entra');

      // A second connection reuses that directory.
      const second = await global.post(`/organizations/${org.body.id}/sso-connections`, { metadataXml: okta.metadataXml() });
      assert.equal(second.body.directoryId, created.body.directoryId);
      assert.equal((await global.get(`/directories?organizationId=${org.body.id}`)).body.data.length, 1);
    });

    test('an Okta IdP gets an Okta directory; any other a generic one', async () => {
      const org1 = await global.post('/organizations', { name: 'Okta shop' });
      const c1 = await global.post(`/organizations/${org1.body.id}/sso-connections`, { metadataXml: okta.metadataXml() });
      assert.equal((await global.get(`/directories/${c1.body.directoryId}`)).body.provider, 'okta');
      const org2 = await global.post('/organizations', { name: 'Other shop' });
      const key = createTestKeyPair('Keycloak');
      const c2 = await global.post(`/organizations/${org2.body.id}/sso-connections`, {
        fields: { ssoUrl: 'https://idp.example.org/realms/acme/protocol/saml', entityId: 'https://idp.example.org/realms/acme', certificates: [key.certificatePem] },
      });
      assert.equal(c2.status, 201, c2.text);
      assert.equal(c2.body.name, 'SAML (idp.example.org)');
      assert.equal((await global.get(`/directories/${c2.body.directoryId}`)).body.provider, 'generic');
    });

    test('create from fields: PEM or base64 certificates, deduplicated, in the directory named', async () => {
      const key = createTestKeyPair('Ping');
      const other = await global.post('/directories', { organizationId: a.organizationId, provider: 'generic', name: 'SSO users' });
      const created = await a.api.post(`/organizations/${a.organizationId}/sso-connections`, {
        name: '  Ping Federate  ',
        fields: { ssoUrl: 'https://sso.example.net/idp/SSO.saml2', entityId: 'https://sso.example.net', certificates: [key.certificatePem, key.certificateBase64, `\n${key.certificateBase64.match(/.{1,64}/g)!.join('\n')}\n`] },
        directoryId: other.body.directory.id,
        allowIdpInitiated: true,
        redirectUrls: ['http://127.0.0.1:8080/cb', CALLBACK, CALLBACK],
        defaultRedirectUrl: 'http://127.0.0.1:8080/cb',
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.name, 'Ping Federate');
      assert.equal(created.body.metadataSource, 'fields');
      assert.equal(created.body.directoryId, other.body.directory.id);
      assert.equal(created.body.allowIdpInitiated, true);
      assert.deepEqual(created.body.redirectUrls, ['http://127.0.0.1:8080/cb', CALLBACK]);
      assert.deepEqual(created.body.idpCertificates.map((x: any) => x.certificate), [key.certificateBase64]);
      assert.equal(created.body.wantAuthnRequestsSigned, false);
    });

    test('invalid input is a 400 that says what is wrong, and creates nothing', async () => {
      const path = `/organizations/${a.organizationId}/sso-connections`;
      const before = (await a.api.get(path)).body.data.length;
      const fields = { ssoUrl: 'https://sso.example.net/sso', entityId: 'https://sso.example.net', certificates: [okta.key.certificatePem] };
      const cases: [unknown, RegExp][] = [
        [{}, /exactly one of metadataUrl, metadataXml or fields.*got none/],
        [{ metadataXml: okta.metadataXml(), fields }, /exactly one.*got metadataXml and fields/],
        [{ fields: { ...fields, certificates: [] } }, /at least one IdP signing certificate/],
        [{ fields: { ssoUrl: fields.ssoUrl, entityId: fields.entityId } }, /at least one IdP signing certificate/],
        [{ fields: { ...fields, certificates: ['not a certificate'] } }, /fields\.certificates\[0\]: the certificate is neither PEM nor base64/],
        [{ fields: { ...fields, ssoUrl: 'not a url' } }, /fields\.ssoUrl is not a URL/],
        [{ fields: { ...fields, ssoUrl: 'ftp://sso.example.net/sso' } }, /fields\.ssoUrl must be an http:\/\/ or https:\/\/ URL/],
        [{ fields: { ...fields, entityId: '' } }, /fields\.entityId is required/],
        [{ fields: { ...fields, extra: 1 } }, /unknown field "extra"/],
        [{ fields, redirectUrls: ['http://app.example.com/cb'] }, /redirectUrls\[0\] must be an https:\/\/ URL \(http:\/\/ only for localhost and 127\.0\.0\.1\)/],
        [{ fields, redirectUrls: ['javascript:alert(1)'] }, /redirectUrls\[0\] must be an https:\/\/ URL/],
        [{ fields, redirectUrls: ['https://app.example.com/cb#x'] }, /must not have a #fragment/],
        [{ fields, redirectUrls: [CALLBACK], defaultRedirectUrl: 'https://app.example.com/other' }, /defaultRedirectUrl must be one of redirectUrls/],
        [{ fields, defaultRedirectUrl: CALLBACK }, /defaultRedirectUrl must be one of redirectUrls \(none registered\)/],
        [{ fields, allowIdpInitiated: 'yes' }, /allowIdpInitiated must be true or false/],
        [{ fields, name: '' }, /name must have 1 to 200 characters/],
        [{ metadataXml: '<root/>' }, /metadataXml: this is not SAML metadata/],
        [{ metadataXml: '<html><body>x</body></html>' }, /metadataXml: it is an HTML page/],
        [{ metadataXml: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x/>' }, /metadataXml: the metadata contains a DTD/],
        [{ metadataUrl: `${metadata.base}/html` }, /^the metadata URL did not return usable SAML metadata: it is an HTML page, not XML metadata/],
        [{ metadataXml: '{"entityId": "x"}' }, /^metadataXml: it is not XML$/],
        [{ metadataUrl: `${metadata.base}/missing` }, /^could not read the metadata URL: the server answered 404 Not Found$/],
        [{ metadataUrl: 'file:///etc/passwd' }, /metadataUrl must be an http:\/\/ or https:\/\/ URL/],
        [{ metadataUrl: metadata.url, spPrivateKeyPem: 'x' }, /unknown field "spPrivateKeyPem"/],
      ];
      for (const [body, message] of cases) {
        const result = await a.api.post(path, body);
        expectError(result, 400, 'invalid_value', message);
        assert.doesNotMatch(result.body.error.message, /Sign in to Okta/, 'a fetched body is never echoed');
      }
      assert.equal((await a.api.get(path)).body.data.length, before);

      // A directory of another organization is as unknown as a missing one.
      expectError(await a.api.post(path, { fields, directoryId: b.directoryId }), 404, 'not_found');
      expectError(await a.api.post(path, { fields, directoryId: 'dir_nope' }), 404, 'not_found');
      assert.equal((await a.api.get(path)).body.data.length, before);
    });

    test('PATCH changes what it names; certificate rollover by hand never removes the last one', async () => {
      const path = `/organizations/${a.organizationId}/sso-connections/${fromUrl.id}`;
      const next = createTestKeyPair('next signing key');

      const renamed = await a.api.patch(path, { name: 'Okta (prod)', allowIdpInitiated: true });
      assert.equal(renamed.status, 200, renamed.text);
      conformsTo(renamed, 'updateSsoConnection');
      assert.equal(renamed.body.name, 'Okta (prod)');
      assert.equal(renamed.body.allowIdpInitiated, true);
      assert.deepEqual(renamed.body.redirectUrls, [CALLBACK, LOCAL], 'the rest is kept');
      assert.ok(renamed.body.updatedAt >= fromUrl.updatedAt);

      const added = await a.api.patch(path, { addCertificate: next.certificatePem });
      assert.deepEqual(added.body.idpCertificates.map((x: any) => x.fingerprintSha256), [okta.key.fingerprintSha256, next.fingerprintSha256]);
      const again = await a.api.patch(path, { addCertificate: next.certificateBase64 });
      assert.equal(again.body.idpCertificates.length, 2, 'adding a trusted certificate again is a no-op');

      const colons = okta.key.fingerprintSha256.toUpperCase().match(/../g)!.join(':');
      const removed = await a.api.patch(path, { removeCertificateFingerprint: `sha256:${colons}` });
      assert.equal(removed.status, 200, removed.text);
      assert.deepEqual(removed.body.idpCertificates.map((x: any) => x.fingerprintSha256), [next.fingerprintSha256]);
      expectError(await a.api.patch(path, { removeCertificateFingerprint: next.fingerprintSha256 }), 400, 'invalid_value', /only IdP certificate: add the new one/);
      expectError(await a.api.patch(path, { removeCertificateFingerprint: 'ab'.repeat(32) }), 400, 'invalid_value', /no IdP certificate of this connection has the SHA-256 fingerprint/);
      expectError(await a.api.patch(path, { addCertificate: 'garbage' }), 400, 'invalid_value', /addCertificate\[0\]/);

      // The default redirect must stay registered.
      expectError(await a.api.patch(path, { redirectUrls: [LOCAL] }), 400, 'invalid_value', /defaultRedirectUrl must be one of redirectUrls/);
      const moved = await a.api.patch(path, { redirectUrls: [LOCAL], defaultRedirectUrl: LOCAL });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.body.sp.defaultRelayState, LOCAL);
      const cleared = await a.api.patch(path, { defaultRedirectUrl: null, redirectUrls: [CALLBACK, LOCAL] });
      assert.equal(cleared.body.defaultRedirectUrl, null);

      const typed = await a.api.patch(path, { fields: { ssoUrl: 'https://dev-123456.okta.com/app/other/sso/saml' }, status: 'inactive' });
      assert.equal(typed.body.idpSsoUrl, 'https://dev-123456.okta.com/app/other/sso/saml');
      assert.equal(typed.body.idpEntityId, okta.entityId);
      assert.equal(typed.body.status, 'inactive');
      expectError(await a.api.patch(path, { status: 'paused' }), 400, 'invalid_value', /status must be one of active, inactive/);
      expectError(await a.api.patch(path, { spCertificate: 'x' }), 400, 'invalid_value', /unknown field/);
      const restored = await a.api.patch(path, { status: 'active', defaultRedirectUrl: CALLBACK, fields: { ssoUrl: okta.ssoUrl } });
      assert.equal(restored.status, 200, restored.text);
      fromUrl = restored.body;
    });

    test('refresh reads the metadata URL again and picks up a rotated certificate', async () => {
      const path = `/organizations/${a.organizationId}/sso-connections/${fromUrl.id}`;
      const rotated = createTestKeyPair('dev-123456 2026');
      const reads = metadata.reads();
      // The IdP now publishes the new key and the old one (rollover window), under a new SSO URL.
      metadata.set(createTestIdp({ style: 'okta', key: rotated, ssoUrl: 'https://dev-123456.okta.com/app/new/sso/saml' }).metadataXml({ extraCertificates: [okta.key.certificateBase64] }));
      const refreshed = await a.api.post(`${path}/refresh-metadata`);
      assert.equal(refreshed.status, 200, refreshed.text);
      conformsTo(refreshed, 'refreshSsoMetadata');
      assert.equal(metadata.reads(), reads + 1);
      const { connection, changes } = refreshed.body;
      assert.deepEqual(connection.idpCertificates.map((x: any) => x.fingerprintSha256), [rotated.fingerprintSha256, okta.key.fingerprintSha256]);
      assert.equal(changes.entityId, null);
      assert.deepEqual(changes.ssoUrl, { from: okta.ssoUrl, to: 'https://dev-123456.okta.com/app/new/sso/saml' });
      assert.deepEqual(changes.certificatesAdded.sort(), [rotated.fingerprintSha256, okta.key.fingerprintSha256].sort(), 'the hand-added certificate was replaced by the published ones');
      assert.equal(changes.certificatesRemoved.length, 1);
      assert.ok(connection.metadataFetchedAt > fromUrl.metadataFetchedAt);

      // Later the old key is dropped from the metadata.
      metadata.set(createTestIdp({ style: 'okta', key: rotated, ssoUrl: 'https://dev-123456.okta.com/app/new/sso/saml' }).metadataXml());
      const second = await a.api.post(`${path}/refresh-metadata`);
      assert.deepEqual(second.body.changes.certificatesRemoved, [okta.key.fingerprintSha256]);
      assert.deepEqual(second.body.changes.certificatesAdded, []);
      assert.deepEqual((await a.api.get(path)).body.idpCertificates.map((x: any) => x.fingerprintSha256), [rotated.fingerprintSha256]);

      // Unusable metadata changes nothing.
      metadata.set('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>');
      expectError(await a.api.post(`${path}/refresh-metadata`), 400, 'invalid_value', /did not return usable SAML metadata: the metadata describes no SAML 2.0 identity provider/);
      assert.deepEqual((await a.api.get(path)).body.idpCertificates.map((x: any) => x.fingerprintSha256), [rotated.fingerprintSha256]);
      metadata.set(okta.metadataXml());
      fromUrl = (await a.api.get(path)).body;
    });

    test('a connection made from XML or fields has nothing to refresh', async () => {
      const created = await a.api.post(`/organizations/${a.organizationId}/sso-connections`, { metadataXml: okta.metadataXml() });
      expectError(
        await a.api.post(`/organizations/${a.organizationId}/sso-connections/${created.body.id}/refresh-metadata`),
        400,
        'invalid_value',
        /set up from metadata XML, not a metadata URL/,
      );
      assert.equal((await a.api.delete(`/organizations/${a.organizationId}/sso-connections/${created.body.id}`)).status, 204);
    });

    test('attempts: newest first, failures only on request, paged with nextCursor', async () => {
      const store = server.server.scimitar.store;
      const attempt = (n: number, outcome: 'succeeded' | 'failed'): SsoAttempt => ({
        id: `att_${String(n).padStart(4, '0')}`,
        connectionId: fromUrl.id,
        at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
        correlationId: `K7QM-2XPD-${String(n).padStart(4, '0')}`,
        flow: n % 2 ? 'sp_initiated' : 'idp_initiated',
        outcome,
        failureCode: outcome === 'failed' ? 'certificate_untrusted' : null,
        detail: outcome === 'failed' ? 'The sign-in response is signed with a certificate this connection does not trust.' : null,
        want: outcome === 'failed' ? `sha256:${okta.key.fingerprintSha256}` : null,
        got: outcome === 'failed' ? 'sha256:0000' : null,
        subject: 'ada@example.com',
        userId: outcome === 'succeeded' ? 'usr_1' : null,
        clientIp: '203.0.113.9',
      });
      const all = [attempt(1, 'succeeded'), attempt(2, 'failed'), attempt(3, 'succeeded'), attempt(4, 'failed'), attempt(5, 'failed')];
      for (const x of all) await store.sso.recordAttempt(x);
      const path = `/organizations/${a.organizationId}/sso-connections/${fromUrl.id}/attempts`;

      const listed = await a.api.get(path);
      assert.equal(listed.status, 200, listed.text);
      conformsTo(listed, 'listSsoAttempts');
      assert.deepEqual(listed.body.data.map((x: SsoAttempt) => x.id), ['att_0005', 'att_0004', 'att_0003', 'att_0002', 'att_0001']);
      assert.equal(listed.body.nextCursor, null);
      assert.deepEqual(listed.body.data[0], all[4]);

      const failures = await a.api.get(`${path}?failures=true`);
      assert.deepEqual(failures.body.data.map((x: SsoAttempt) => x.id), ['att_0005', 'att_0004', 'att_0002']);
      const page1 = await a.api.get(`${path}?failures=true&limit=2`);
      assert.deepEqual(page1.body.data.map((x: SsoAttempt) => x.id), ['att_0005', 'att_0004']);
      assert.equal(page1.body.nextCursor, 'att_0004');
      const page2 = await a.api.get(`${path}?failures=true&limit=2&before=${page1.body.nextCursor}`);
      assert.deepEqual(page2.body.data.map((x: SsoAttempt) => x.id), ['att_0002']);
      assert.equal(page2.body.nextCursor, null);
      assert.equal((await a.api.get(`${path}?failures=false`)).body.data.length, 5);

      expectError(await a.api.get(`${path}?failures=yes`), 400, 'invalid_value', /failures must be true or false/);
      expectError(await a.api.get(`${path}?limit=0`), 400, 'invalid_value', /limit/);
      expectError(await a.api.get(`${path}?outcome=failed`), 400, 'invalid_value', /unknown query parameter/);
    });

    test('sso-settings: the policy and the domains, unique across organizations', async () => {
      const path = `/organizations/${a.organizationId}/sso-settings`;
      const initial = await a.api.get(path);
      assert.equal(initial.status, 200);
      conformsTo(initial, 'getSsoSettings');
      assert.deepEqual(initial.body, { organizationId: a.organizationId, policy: 'jit', domains: [] });

      const set = await put(a.api, path, { policy: 'scim_only', domains: ['Acme.com', '@acme.io', 'acme.com.'] });
      assert.equal(set.status, 200, set.text);
      conformsTo(set, 'setSsoSettings');
      assert.deepEqual(set.body, { organizationId: a.organizationId, policy: 'scim_only', domains: ['acme.com', 'acme.io'] });
      assert.deepEqual((await a.api.get(path)).body, set.body);

      // Another organization cannot claim them, and its own change is not half-applied.
      const bPath = `/organizations/${b.organizationId}/sso-settings`;
      assert.equal((await put(b.api, bPath, { policy: 'jit', domains: ['beta.com'] })).status, 200);
      expectError(await put(b.api, bPath, { policy: 'scim_only', domains: ['beta.org', 'ACME.io'] }), 409, 'uniqueness_conflict', /^acme\.io is already claimed by another organization$/);
      assert.deepEqual((await b.api.get(bPath)).body, { organizationId: b.organizationId, policy: 'jit', domains: ['beta.com'] });

      expectError(await put(a.api, path, { policy: 'sometimes', domains: [] }), 400, 'invalid_value', /policy must be one of jit, scim_only/);
      expectError(await put(a.api, path, { policy: 'jit', domains: ['not a domain'] }), 400, 'invalid_value', /"not a domain" is not a domain name/);
      expectError(await put(a.api, path, { policy: 'jit', domains: ['com'] }), 400, 'invalid_value', /not a domain name/);
      expectError(await put(a.api, path, { policy: 'jit' }), 400, 'invalid_value', /domains is required/);
      expectError(await put(a.api, path, { domains: [] }), 400, 'invalid_value', /policy is required/);
      expectError(await a.api.patch(path, { policy: 'jit' }), 405, 'method_not_allowed');
      assert.deepEqual((await a.api.get(path)).body.domains, ['acme.com', 'acme.io']);

      const reset = await put(a.api, path, { policy: 'jit', domains: [] });
      assert.deepEqual(reset.body.domains, []);
      assert.equal((await put(b.api, bPath, { policy: 'jit', domains: ['acme.io'] })).status, 200, 'a released domain can be claimed');
    });

    test('tenancy: another organization\'s key gets 404 on every route, and nothing changes', async () => {
      const own = `/organizations/${a.organizationId}`;
      const conn = `${own}/sso-connections/${fromUrl.id}`;
      const fields = { ssoUrl: 'https://sso.example.net/sso', entityId: 'https://sso.example.net', certificates: [okta.key.certificatePem] };
      const routes: [string, string, unknown?][] = [
        ['GET', `${own}/sso-connections`],
        ['POST', `${own}/sso-connections`, { fields }],
        ['GET', conn],
        ['PATCH', conn, { name: 'hijacked', redirectUrls: ['https://evil.example.com/'] }],
        ['DELETE', conn],
        ['POST', `${conn}/refresh-metadata`],
        ['GET', `${conn}/attempts`],
        ['GET', `${own}/sso-settings`],
        ['PUT', `${own}/sso-settings`, { policy: 'jit', domains: ['evil.example'] }],
        // a's connection under b's own organization path
        ['GET', `/organizations/${b.organizationId}/sso-connections/${fromUrl.id}`],
        ['PATCH', `/organizations/${b.organizationId}/sso-connections/${fromUrl.id}`, { name: 'hijacked' }],
        ['DELETE', `/organizations/${b.organizationId}/sso-connections/${fromUrl.id}`],
        ['POST', `/organizations/${b.organizationId}/sso-connections/${fromUrl.id}/refresh-metadata`],
        ['GET', `/organizations/${b.organizationId}/sso-connections/${fromUrl.id}/attempts`],
      ];
      const reads = metadata.reads();
      for (const [method, path, body] of routes) {
        const result = await b.api.request(method, path, body === undefined ? {} : { body });
        assert.equal(result.status, 404, `${method} ${path}: ${result.text}`);
        assert.equal(errorCode(result), 'not_found');
        assert.doesNotMatch(result.text, /sso\/acs|idpEntityId/);
      }
      // The operations that exist answer the same 404 as ids that do not.
      const unknown = await a.api.get(`${own}/sso-connections/sso_nope`);
      assert.equal(unknown.status, 404);
      assert.equal(errorCode(unknown), 'not_found');

      assert.equal(metadata.reads(), reads, 'no refresh ran');
      const after = await a.api.get(conn);
      assert.equal(after.status, 200);
      assert.deepEqual(after.body, fromUrl);
      assert.deepEqual((await a.api.get(`${own}/sso-connections`)).body.data.map((c: any) => c.id).includes(fromUrl.id), true);
      assert.equal((await global.get(`${own}/sso-settings`)).body.domains.includes('evil.example'), false);
    });

    test('delete removes the connection (not its directory); a second delete is a 404', async () => {
      const created = await a.api.post(`/organizations/${a.organizationId}/sso-connections`, { metadataUrl: metadata.url });
      const path = `/organizations/${a.organizationId}/sso-connections/${created.body.id}`;
      const deleted = await a.api.delete(path);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.text, '');
      expectError(await a.api.get(path), 404, 'not_found');
      expectError(await a.api.delete(path), 404, 'not_found');
      assert.equal((await a.api.get(`/directories/${created.body.directoryId}`)).status, 200);
    });

    test('the OpenAPI document and reference page list the SSO routes', async () => {
      const ops = ['listSsoConnections', 'createSsoConnection', 'getSsoConnection', 'updateSsoConnection', 'deleteSsoConnection', 'refreshSsoMetadata', 'listSsoAttempts', 'getSsoSettings', 'setSsoSettings'];
      const documented = Object.values<any>(doc.paths).flatMap((item) => Object.values<any>(item)).map((o) => o.operationId);
      for (const op of ops) assert.ok(documented.includes(op), op);
      assert.ok(doc.paths['/organizations/{id}/sso-settings'].put);
      assert.ok(doc.tags.some((t: any) => t.name === 'SSO'));
      const page = (await api(server).get('/docs')).text;
      for (const op of ops) assert.ok(page.includes(`id="op-${op}"`), op);
    });
  });
}
