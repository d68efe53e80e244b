/**
 * An RSA-2048 key and a self-signed X.509 certificate for it (CN=commonName, sha256WithRSAEncryption):
 * the key an SSO connection signs its AuthnRequests with, published in its SP metadata. Node can parse
 * X.509 but not issue it, so the certificate is DER-encoded here (a minimal encoder for exactly this
 * structure) and proved by parsing it back. The validity period is an argument: no clock in saml/.
 */
import { X509Certificate, createHash, generateKeyPair, generateKeyPairSync, randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';

export interface SelfSignedKeyPair {
  /** PKCS#8 PEM. A secret: store it, never show it. */
  privateKeyPem: string;
  certificatePem: string;
  /** Canonical base64 of the certificate DER, as metadata carries it. */
  certificateBase64: string;
  /** SHA-256 of the DER, lowercase hex. */
  fingerprintSha256: string;
}

export interface CertificateValidity {
  notBefore: Date;
  notAfter: Date;
}

const derLength = (n: number): number[] => {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
};
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag, ...derLength(content.length)]), content]);
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const int = (bytes: Buffer) => tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const oid = (dotted: string) => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a! + b!];
  for (const p of rest) {
    const chunk = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
};
const derNull = Buffer.from([0x05, 0x00]);
const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
/** UTCTime until 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
const derTime = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  const rest = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  return y < 2050 ? tlv(0x17, Buffer.from(`${String(y).slice(2)}${rest}`)) : tlv(0x18, Buffer.from(`${y}${rest}`));
};
const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), derNull);

function checkInput(commonName: string, validity: CertificateValidity): void {
  if (commonName.length === 0 || commonName.length > 64) throw new TypeError('self-signed certificate: commonName must have 1 to 64 characters');
  const from = validity.notBefore.getTime();
  const to = validity.notAfter.getTime();
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from) throw new TypeError('self-signed certificate: notAfter must be a valid date after notBefore');
}

function certify(commonName: string, validity: CertificateValidity, publicKey: KeyObject, privateKey: KeyObject): SelfSignedKeyPair {
  const name = seq(set(seq(oid('2.5.4.3'), utf8String(commonName))));
  const serial = randomBytes(8);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, and never a leading zero (DER integers are minimal)
  const tbs = seq(
    tlv(0xa0, int(Buffer.from([2]))), // v3
    int(serial),
    SHA256_WITH_RSA,
    name,
    seq(derTime(validity.notBefore), derTime(validity.notAfter)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = cryptoSign('sha256', tbs, privateKey);
  const der = seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const x509 = new X509Certificate(der); // proves the encoding
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: x509.toString(),
    certificateBase64: der.toString('base64'),
    fingerprintSha256: createHash('sha256').update(der).digest('hex'),
  };
}

/**
 * Synchronous (the key generation blocks for ~50–200 ms): for tests and scripts. Servers use
 * generateSelfSignedKeyPair.
 * @example createSelfSignedKeyPair('Test IdP', { notBefore: new Date('2024-01-01'), notAfter: new Date('2034-01-01') })
 */
export function createSelfSignedKeyPair(commonName: string, validity: CertificateValidity): SelfSignedKeyPair {
  checkInput(commonName, validity);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return certify(commonName, validity, publicKey, privateKey);
}

/**
 * The same, with the RSA key generated off the event loop.
 * @example const sp = await generateSelfSignedKeyPair('app.example.com', { notBefore, notAfter });
 */
export async function generateSelfSignedKeyPair(commonName: string, validity: CertificateValidity): Promise<SelfSignedKeyPair> {
  checkInput(commonName, validity);
  const { publicKey, privateKey } = await new Promise<{ publicKey: KeyObject; privateKey: KeyObject }>((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => (error ? reject(error) : resolve({ publicKey, privateKey }))),
  );
  return certify(commonName, validity, publicKey, privateKey);
}
