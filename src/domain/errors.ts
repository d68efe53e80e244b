/**
 * The one error vocabulary of Scimitar. Codes are stable once released; no HTTP status
 * lives here (each surface maps codes to its own wire shape in one table).
 */
export type ErrorCode =
  // input
  | 'invalid_syntax' // body is not JSON / not the expected shape
  | 'invalid_value' // a value of the wrong type, a missing required attribute
  | 'invalid_filter' // malformed or unsupported filter
  | 'invalid_path' // PATCH path that does not parse or names no attribute
  | 'no_target' // PATCH path filter that matched nothing where a target is required
  | 'mutability' // attempt to change a readOnly/immutable attribute
  | 'too_many' // a query that would return more than we allow
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'method_not_allowed'
  // auth and tenancy
  | 'unauthenticated'
  | 'directory_disabled'
  | 'forbidden'
  | 'portal_link_invalid' // no such setup link
  | 'portal_link_expired'
  | 'portal_link_used' // setup links are single-use
  | 'invalid_grant' // an SSO sign-in code that is unknown, expired, used or another organization's
  // state
  | 'not_found'
  | 'uniqueness_conflict'
  | 'precondition_failed'
  | 'not_modified'
  // everything else
  | 'internal';

/** The SCIM scimType values of RFC 7644 §3.12 that we emit. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

export class ServiceError extends Error {
  readonly code: ErrorCode;
  /** Safe to show to the caller (the IdP or an admin). Never contains secrets. */
  readonly detail: string;
  readonly meta?: Record<string, unknown>;

  constructor(code: ErrorCode, detail: string, options?: { cause?: unknown; meta?: Record<string, unknown> }) {
    super(detail, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServiceError';
    this.code = code;
    this.detail = detail;
    if (options?.meta) this.meta = options.meta;
  }
}

export const isServiceError = (e: unknown): e is ServiceError => e instanceof ServiceError;

/** A parse failure: carries the code and a detail, becomes a ServiceError at the edge. */
export interface Problem {
  code: ErrorCode;
  detail: string;
}

export const problem = (code: ErrorCode, detail: string): Problem => ({ code, detail });
export const toServiceError = (p: Problem): ServiceError => new ServiceError(p.code, p.detail);
