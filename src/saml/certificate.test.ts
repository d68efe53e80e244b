import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { certificateFingerprint, certificateToPem, describeCertificate, normalizeCertificate } from './certificate.js';
import { createTestKeyPair } from '../../test/support/saml-idp.js';

const pair = createTestKeyPair('certificate test', { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2026-01-01T00:00:00Z') });
const canonical = pair.certificateBase64;

test('normalizeCertificate: every form an admin may paste becomes the same canonical base64', () => {
  const cases: { name: string; input: string }[] = [
    { name: 'PEM', input: pair.certificatePem },
    { name: 'PEM with CRLF and indentation', input: pair.certificatePem.replace(/\n/g, '\r\n    ') },
    { name: 'bare base64', input: canonical },
    { name: 'base64 wrapped at 64 columns, as metadata does', input: canonical.match(/.{1,64}/g)!.join('\n') },
    { name: 'surrounded by whitespace', input: `\n\t ${canonical} \n` },
  ];
  for (const c of cases) {
    const r = normalizeCertificate(c.input);
    assert.ok(r.ok, c.name);
    assert.equal(r.value, canonical, c.name);
  }
});

test('normalizeCertificate refuses what is not one X.509 certificate', () => {
  const cases: { name: string; input: string; detail: RegExp }[] = [
    { name: 'empty', input: '', detail: /neither PEM nor base64/ },
    { name: 'not base64', input: 'hello world!', detail: /neither PEM nor base64/ },
    { name: 'base64 of something else', input: Buffer.from('not a cert').toString('base64'), detail: /does not parse as X.509/ },
    { name: 'a private key', input: pair.privateKeyPem, detail: /found a PEM "PRIVATE KEY" block/ },
    { name: 'two certificates', input: pair.certificatePem + pair.certificatePem, detail: /several PEM blocks/ },
    { name: 'truncated armor', input: pair.certificatePem.replace(/-----END CERTIFICATE-----/, ''), detail: /armor is incomplete/ },
  ];
  for (const c of cases) {
    const r = normalizeCertificate(c.input);
    assert.ok(!r.ok, c.name);
    assert.equal(r.error.code, 'invalid_value', c.name);
    assert.match(r.error.detail, c.detail, c.name);
  }
});

test('certificateFingerprint is SHA-256 over the DER, whatever the input form', () => {
  const expected = createHash('sha256').update(Buffer.from(canonical, 'base64')).digest('hex');
  assert.equal(certificateFingerprint(pair.certificatePem), expected);
  assert.equal(certificateFingerprint(canonical), expected);
  assert.equal(expected, pair.fingerprintSha256);
});

test('certificateToPem round-trips', () => {
  const pem = certificateToPem(canonical);
  assert.match(pem, /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE-----\n$/);
  assert.equal((normalizeCertificate(pem) as { value: string }).value, canonical);
});

test('describeCertificate reads the validity dates and names for display', () => {
  const r = describeCertificate(pair.certificatePem);
  assert.ok(r.ok);
  assert.equal(r.value.notBefore, '2025-01-01T00:00:00.000Z');
  assert.equal(r.value.notAfter, '2026-01-01T00:00:00.000Z');
  assert.equal(r.value.subject, 'CN=certificate test');
  assert.equal(r.value.issuer, 'CN=certificate test');
  assert.equal(r.value.fingerprintSha256, pair.fingerprintSha256);
  assert.equal(r.value.certificate, canonical);
});
