/**
 * X.509 certificate handling for SAML trust: one canonical form (base64 of the DER, no armor, no
 * whitespace), its SHA-256 fingerprint, and the dates an admin needs to see before a rollover.
 * Reading a certificate here grants no trust; trust is the list the admin configured.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { problem, type Problem } from '../domain/errors.js';
import { err, ok, type Result } from '../domain/result.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/**
 * Turns a PEM certificate or bare base64 (with or without line breaks, as metadata files wrap it) into
 * canonical base64 of the DER bytes, after checking that it parses as an X.509 certificate.
 *
 * @example
 * normalizeCertificate('-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----')
 * // => { ok: true, value: 'MIIC...' }
 */
export function normalizeCertificate(input: string): Result<string, Problem> {
  let body = input.trim();
  const blocks = [...body.matchAll(PEM_BLOCK)];
  if (blocks.length > 1) return err(problem('invalid_value', 'expected one certificate, found several PEM blocks'));
  if (blocks.length === 1) {
    if (blocks[0]![1] !== 'CERTIFICATE') {
      return err(problem('invalid_value', `expected a CERTIFICATE, found a PEM "${blocks[0]![1]}" block`));
    }
    body = blocks[0]![2]!;
  } else if (body.includes('-----')) {
    return err(problem('invalid_value', 'the PEM armor is incomplete'));
  }
  body = body.replace(/\s+/g, '');
  if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
    return err(problem('invalid_value', 'the certificate is neither PEM nor base64'));
  }
  const der = Buffer.from(body, 'base64');
  try {
    new X509Certificate(der);
  } catch {
    return err(problem('invalid_value', 'the certificate does not parse as X.509'));
  }
  return ok(der.toString('base64'));
}

/** SHA-256 over the DER bytes, lowercase hex without separators (what `openssl x509 -fingerprint -sha256` shows, minus the colons). */
export function certificateFingerprint(certificate: string): string {
  const normalized = normalizeCertificate(certificate);
  const base64 = normalized.ok ? normalized.value : certificate.replace(/\s+/g, '');
  return createHash('sha256').update(Buffer.from(base64, 'base64')).digest('hex');
}

/** A canonical base64 certificate wrapped as PEM with 64-character lines. */
export function certificateToPem(certificateBase64: string): string {
  const lines = certificateBase64.replace(/\s+/g, '').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** What the admin portal shows for a certificate. Dates are ISO-8601 UTC. */
export interface CertificateInfo {
  /** Canonical base64 of the DER. */
  certificate: string;
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

/**
 * Reads the subject, issuer and validity dates of a certificate, for display (for example "expires in
 * 12 days"). An expired certificate is still described: SAML IdPs often keep signing with one, and
 * whether to warn is the caller's decision, made with its own clock.
 */
export function describeCertificate(certificate: string): Result<CertificateInfo, Problem> {
  const normalized = normalizeCertificate(certificate);
  if (!normalized.ok) return normalized;
  const x509 = new X509Certificate(Buffer.from(normalized.value, 'base64'));
  const notBefore = new Date(x509.validFrom);
  const notAfter = new Date(x509.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime())) {
    return err(problem('invalid_value', 'the certificate validity dates do not parse'));
  }
  return ok({
    certificate: normalized.value,
    fingerprintSha256: x509.fingerprint256.replace(/:/g, '').toLowerCase(),
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    serialNumber: x509.serialNumber,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
  });
}
