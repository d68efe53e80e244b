/**
 * The only place SCIM error bodies are built (RFC 7644 §3.12): every SCIM failure, 401 and 404
 * included, goes through here. The code -> status table is shared with the admin API.
 */
import type { ErrorCode, ScimType } from '../domain/errors.js';
import type { JsonObject } from './types.js';
import { URN } from './urns.js';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  invalid_syntax: 400,
  invalid_value: 400,
  invalid_filter: 400,
  invalid_path: 400,
  no_target: 400,
  mutability: 400,
  too_many: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  method_not_allowed: 405,
  unauthenticated: 401,
  directory_disabled: 403,
  forbidden: 403,
  portal_link_invalid: 404,
  portal_link_expired: 410,
  portal_link_used: 410,
  invalid_grant: 400,
  not_found: 404,
  uniqueness_conflict: 409,
  precondition_failed: 412,
  not_modified: 304,
  internal: 500,
};

const SCIM_TYPE_BY_CODE: Partial<Record<ErrorCode, ScimType>> = {
  invalid_syntax: 'invalidSyntax',
  invalid_value: 'invalidValue',
  invalid_filter: 'invalidFilter',
  invalid_path: 'invalidPath',
  no_target: 'noTarget',
  mutability: 'mutability',
  too_many: 'tooMany',
  uniqueness_conflict: 'uniqueness',
};

export interface ScimErrorBody {
  status: number;
  scimType: ScimType | undefined;
  body: JsonObject;
}

export function scimErrorBody(code: ErrorCode, detail: string): ScimErrorBody {
  const status = STATUS_BY_CODE[code];
  const scimType = SCIM_TYPE_BY_CODE[code];
  const body: JsonObject = { schemas: [URN.error], status: String(status) };
  if (scimType) body['scimType'] = scimType;
  body['detail'] = detail;
  return { status, scimType, body };
}
