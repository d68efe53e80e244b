/**
 * The closed vocabulary of SAML response failures. `detail` is safe to show the person signing in;
 * `want` and `got` are the precise values for the admin's log (entity IDs, URLs, fingerprints, algorithms).
 */

export type SamlFailureCode =
  | 'response_too_large'
  | 'malformed'
  | 'dtd_forbidden'
  | 'status_not_success'
  | 'signature_missing'
  | 'signature_invalid'
  | 'certificate_untrusted'
  | 'weak_algorithm'
  | 'issuer_mismatch'
  | 'audience_mismatch'
  | 'recipient_mismatch'
  | 'destination_mismatch'
  | 'in_response_to_mismatch'
  | 'unsolicited_not_allowed'
  | 'not_yet_valid'
  | 'expired'
  | 'multiple_assertions'
  | 'encrypted_assertion_unsupported'
  | 'subject_missing';

export interface SamlFailure {
  code: SamlFailureCode;
  /** For the end user: says what went wrong without echoing attacker-controlled text. */
  detail: string;
  /** For the admin: what the connection expected. */
  want?: string;
  /** For the admin: what the response carried (or why the library refused it). */
  got?: string;
}

/** Every code, for exhaustive renderer tables and tests. */
export const SAML_FAILURE_CODES: readonly SamlFailureCode[] = [
  'response_too_large',
  'malformed',
  'dtd_forbidden',
  'status_not_success',
  'signature_missing',
  'signature_invalid',
  'certificate_untrusted',
  'weak_algorithm',
  'issuer_mismatch',
  'audience_mismatch',
  'recipient_mismatch',
  'destination_mismatch',
  'in_response_to_mismatch',
  'unsolicited_not_allowed',
  'not_yet_valid',
  'expired',
  'multiple_assertions',
  'encrypted_assertion_unsupported',
  'subject_missing',
];

/** @internal */
export function samlFailure(code: SamlFailureCode, detail: string, values: { want?: string; got?: string } = {}): SamlFailure {
  const failure: SamlFailure = { code, detail };
  if (values.want !== undefined) failure.want = values.want;
  if (values.got !== undefined) failure.got = values.got;
  return failure;
}
