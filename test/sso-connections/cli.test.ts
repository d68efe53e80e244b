/**
 * `scimitar sso …` run as a developer runs it: a separate process on the database. `create` and
 * `show` print what the IdP admin enters (ACS URL, Audience URI, Name ID format, attribute statements,
 * Default RelayState); the other commands change, refresh, list, set the policy and show attempts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScimitar, type Scimitar } from '../../src/runtime/create-scimitar.js';
import { createTestDatabase, dialects, type TestDatabase } from '../support/databases.js';
import { createTestIdp, createTestKeyPair } from '../support/saml-idp.js';
import { startMetadataServer, type MetadataServer } from './helpers.js';

const PUBLIC_URL = 'https://idp.example.com/identity';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(databaseUrl: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, SCIMITAR_PUBLIC_URL: PUBLIC_URL },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

for (const { name, skip } of await dialects()) {
  describe(`scimitar sso commands on ${name}`, { skip }, () => {
    let db: TestDatabase;
    let dir: string;
    let metadata: MetadataServer;
    let scimitar: Scimitar;
    let orgId: string;
    let connectionId: string;
    const okta = createTestIdp({ style: 'okta' });
    const run = (args: string[]) => cli(db.url, args);
    const json = async (args: string[]) => {
      const result = await run([...args, '--json']);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout);
    };

    before(async () => {
      db = await createTestDatabase(name);
      dir = mkdtempSync(join(tmpdir(), 'scimitar-sso-cli-'));
      metadata = await startMetadataServer(okta.metadataXml());
      // The test's own handle on the database: to make an organization and record attempts.
      scimitar = await createScimitar({ database: db.url, publicUrl: PUBLIC_URL, maintenance: false, delivery: { enabled: false } });
      orgId = (await scimitar.admin.createOrganization({ name: 'Acme' })).id;
    });
    after(async () => {
      await scimitar?.close();
      await metadata?.close();
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    test('sso create --metadata-url prints what to enter in Okta, and never the private key', async () => {
      const result = await run([
        'sso', 'create', '--org', orgId, '--metadata-url', metadata.url,
        '--redirect-url', 'https://app.example.com/sso/callback', '--redirect-url', 'http://localhost:3000/cb',
        '--default-redirect', 'https://app.example.com/sso/callback',
      ]);
      assert.equal(result.code, 0, result.stderr);
      const id = /SAML connection (sso_[0-9a-z]{26}) "Okta"/.exec(result.stdout)?.[1];
      assert.ok(id, result.stdout);
      connectionId = id;
      const out = result.stdout;
      assert.match(out, new RegExp(`Single sign-on URL \\(ACS URL\\): +${PUBLIC_URL}/sso/acs/${id}\\n`));
      assert.match(out, new RegExp(`Audience URI \\(SP Entity ID\\): +${PUBLIC_URL}/sso/metadata/${id}\\n`));
      assert.match(out, /Name ID format: +EmailAddress \(urn:oasis:names:tc:SAML:1\.1:nameid-format:emailAddress\)/);
      assert.match(out, /Application username: +Email/);
      assert.match(out, /Default RelayState: +https:\/\/app\.example\.com\/sso\/callback/);
      assert.match(out, /Attribute statements: +email = user\.email\n +firstName = user\.firstName\n +lastName = user\.lastName/);
      assert.match(out, /Group attribute statement \(optional\): +groups, filter "Matches regex \.\*"/);
      assert.match(out, new RegExp(`SP metadata URL: +${PUBLIC_URL}/sso/metadata/${id}`));
      assert.match(out, new RegExp(`Entity ID: +${okta.entityId}`));
      assert.match(out, new RegExp(`sha256:${okta.key.fingerprintSha256}  CN=dev-123456, expires 2034-01-01`));
      assert.match(out, /IdP-initiated sign-in: +refused/);
      assert.doesNotMatch(out, /PRIVATE KEY/);
    });

    test('sso show prints the same values; --json has them as sp', async () => {
      const shown = await run(['sso', 'show', '--connection', connectionId]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.match(shown.stdout, new RegExp(`Single sign-on URL \\(ACS URL\\): +${PUBLIC_URL}/sso/acs/${connectionId}`));
      assert.match(shown.stdout, new RegExp(`Audience URI \\(SP Entity ID\\): +${PUBLIC_URL}/sso/metadata/${connectionId}`));
      const view = await json(['sso', 'show', '--connection', connectionId]);
      assert.equal(view.sp.acsUrl, `${PUBLIC_URL}/sso/acs/${connectionId}`);
      assert.equal(view.sp.spEntityId, `${PUBLIC_URL}/sso/metadata/${connectionId}`);
      assert.equal(view.sp.defaultRelayState, 'https://app.example.com/sso/callback');
      assert.equal(view.spPrivateKeyPem, undefined);
      const unknown = await run(['sso', 'show', '--connection', 'sso_nope']);
      assert.equal(unknown.code, 3);
      assert.match(unknown.stderr, /^error: SSO connection sso_nope does not exist\n$/);
    });

    test('sso create from a metadata file, and from --sso-url --entity-id --cert-file', async () => {
      const file = join(dir, 'entra.xml');
      writeFileSync(file, createTestIdp({ style: 'entra' }).metadataXml());
      const fromFile = await json(['sso', 'create', '--org', orgId, '--metadata-file', file, '--name', 'Entra']);
      assert.equal(fromFile.name, 'Entra');
      assert.equal(fromFile.metadataSource, 'xml');

      const k1 = createTestKeyPair('ping 1');
      const k2 = createTestKeyPair('ping 2');
      writeFileSync(join(dir, 'k1.pem'), k1.certificatePem);
      writeFileSync(join(dir, 'k2.pem'), k2.certificatePem);
      const typed = await json([
        'sso', 'create', '--org', orgId, '--sso-url', 'https://sso.example.net/idp/SSO.saml2', '--entity-id', 'https://sso.example.net',
        '--cert-file', join(dir, 'k1.pem'), '--cert-file', join(dir, 'k2.pem'), '--allow-idp-initiated',
      ]);
      assert.equal(typed.metadataSource, 'fields');
      assert.equal(typed.allowIdpInitiated, true);
      assert.deepEqual(typed.idpCertificates.map((c: { fingerprintSha256: string }) => c.fingerprintSha256), [k1.fingerprintSha256, k2.fingerprintSha256]);

      const listed = await run(['sso', 'list', '--org', orgId]);
      assert.equal(listed.code, 0, listed.stderr);
      assert.equal(listed.stdout.trim().split('\n').length, 3);
      assert.match(listed.stdout, new RegExp(`${connectionId}  active  +Okta`));
    });

    test('refused input: one line on stderr, exit 1 (3 for an unknown organization)', async () => {
      const both = await run(['sso', 'create', '--org', orgId, '--metadata-url', metadata.url, '--metadata-file', 'x.xml']);
      assert.equal(both.code, 1);
      assert.match(both.stderr, /^error: give exactly one of --metadata-url, --metadata-file, or --sso-url with --entity-id and --cert-file\n$/);
      const partial = await run(['sso', 'create', '--org', orgId, '--sso-url', 'https://sso.example.net/sso']);
      assert.match(partial.stderr, /--sso-url, --entity-id and --cert-file go together/);
      const missing = await run(['sso', 'create', '--org', orgId, '--metadata-file', join(dir, 'nope.xml')]);
      assert.match(missing.stderr, /cannot read --metadata-file .*nope\.xml: ENOENT/);
      const badRedirect = await run(['sso', 'create', '--org', orgId, '--metadata-url', metadata.url, '--redirect-url', 'http://app.example.com/cb']);
      assert.equal(badRedirect.code, 1);
      assert.match(badRedirect.stderr, /redirectUrls\[0\] must be an https:\/\/ URL/);
      const unreachable = await run(['sso', 'create', '--org', orgId, '--metadata-url', `${metadata.base}/missing`]);
      assert.match(unreachable.stderr, /^error: could not read the metadata URL: the server answered 404 Not Found\n$/);
      const unknownOrg = await run(['sso', 'create', '--org', 'org_nope', '--metadata-url', metadata.url]);
      assert.equal(unknownOrg.code, 3);
    });

    test('sso set changes IdP-initiated sign-in, redirect URLs and certificates', async () => {
      const next = createTestKeyPair('next');
      writeFileSync(join(dir, 'next.pem'), next.certificatePem);
      const updated = await json([
        'sso', 'set', '--connection', connectionId, '--allow-idp-initiated', 'true', '--add-cert-file', join(dir, 'next.pem'),
        '--redirect-url', 'https://app.example.com/sso/callback', '--redirect-url', 'https://app.example.com/other',
      ]);
      assert.equal(updated.allowIdpInitiated, true);
      assert.deepEqual(updated.redirectUrls, ['https://app.example.com/sso/callback', 'https://app.example.com/other']);
      assert.equal(updated.idpCertificates.length, 2);
      const removed = await json(['sso', 'set', '--connection', connectionId, '--remove-cert', okta.key.fingerprintSha256, '--clear-default-redirect']);
      assert.deepEqual(removed.idpCertificates.map((c: { fingerprintSha256: string }) => c.fingerprintSha256), [next.fingerprintSha256]);
      assert.equal(removed.defaultRedirectUrl, null);
      const last = await run(['sso', 'set', '--connection', connectionId, '--remove-cert', next.fingerprintSha256]);
      assert.equal(last.code, 1);
      assert.match(last.stderr, /only IdP certificate/);
      const bad = await run(['sso', 'set', '--connection', connectionId, '--allow-idp-initiated', 'maybe']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /expected true or false/);
      const nothing = await run(['sso', 'set', '--connection', connectionId]);
      assert.match(nothing.stderr, /nothing to change/);
    });

    test('sso refresh reads the metadata URL again and says what changed', async () => {
      const rotated = createTestKeyPair('dev-123456 rotated');
      metadata.set(createTestIdp({ style: 'okta', key: rotated }).metadataXml());
      const result = await run(['sso', 'refresh', '--connection', connectionId]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`certificate added: sha256:${rotated.fingerprintSha256}`));
      assert.match(result.stdout, /certificate removed: sha256:/);
      const again = await run(['sso', 'refresh', '--connection', connectionId]);
      assert.match(again.stdout, /nothing changed/);
    });

    test('sso policy sets and shows the policy and domains', async () => {
      const set = await run(['sso', 'policy', '--org', orgId, '--policy', 'scim_only', '--domain', 'Acme.com', '--domain', 'acme.io']);
      assert.equal(set.code, 0, set.stderr);
      assert.match(set.stdout, /sign-in policy scim_only \(only active users the directory already has\); domains: acme\.com, acme\.io/);
      assert.deepEqual(await json(['sso', 'policy', '--org', orgId]), { organizationId: orgId, policy: 'scim_only', domains: ['acme.com', 'acme.io'] });
      const other = (await scimitar.admin.createOrganization({ name: 'Other' })).id;
      const taken = await run(['sso', 'policy', '--org', other, '--domain', 'acme.io']);
      assert.equal(taken.code, 1);
      assert.match(taken.stderr, /^error: acme\.io is already claimed by another organization\n$/);
      const bad = await run(['sso', 'policy', '--org', orgId, '--policy', 'open']);
      assert.match(bad.stderr, /policy must be one of jit, scim_only/);
    });

    test('sso attempts lists the newest first, with want and got for failures', async () => {
      const base = { connectionId, correlationId: 'K7QM-2XPD-9HTA', flow: 'sp_initiated' as const, subject: 'ada@example.com', clientIp: '203.0.113.9' };
      await scimitar.store.sso.recordAttempt({ ...base, id: 'att_0001', at: '2026-01-01T10:00:00.000Z', outcome: 'succeeded', failureCode: null, detail: null, want: null, got: null, userId: 'usr_1' });
      await scimitar.store.sso.recordAttempt({
        ...base, id: 'att_0002', at: '2026-01-01T11:00:00.000Z', outcome: 'failed', failureCode: 'audience_mismatch',
        detail: 'The sign-in response is not addressed to this application.', want: `${PUBLIC_URL}/sso/metadata/${connectionId}`, got: 'https://other.example.com', userId: null,
      });
      const all = await run(['sso', 'attempts', '--connection', connectionId]);
      assert.equal(all.code, 0, all.stderr);
      const lines = all.stdout.trim().split('\n');
      assert.match(lines[0]!, /^2026-01-01T11:00:00\.000Z  failed +sp_initiated +ada@example\.com  K7QM-2XPD-9HTA$/);
      assert.match(all.stdout, /audience_mismatch: The sign-in response is not addressed to this application\.\n +want: https:\/\/idp\.example\.com\/identity\/sso\/metadata\/sso_\w+\n +got: +https:\/\/other\.example\.com/);
      assert.match(all.stdout, /2026-01-01T10:00:00\.000Z  succeeded/);
      const failures = await json(['sso', 'attempts', '--connection', connectionId, '--failures']);
      assert.deepEqual(failures.map((a: { id: string }) => a.id), ['att_0002']);
    });

    test('sso delete removes the connection', async () => {
      const result = await run(['sso', 'delete', '--connection', connectionId]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`Deleted SAML connection ${connectionId}\\.`));
      assert.equal((await run(['sso', 'show', '--connection', connectionId])).code, 3);
    });
  });
}
