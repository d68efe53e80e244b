/**
 * Reading REST API input at the edge: the JSON body (content type, size, syntax, an object)
 * and typed fields of it and of the query string. Unknown body fields and query parameters
 * are refused, so a typo (`revoke_old`, `?emial=`) is a 400 rather than a silent no-op.
 */
import { ServiceError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/json.js';
import type { HttpRequest } from '../types.js';

export function readJsonObject(request: HttpRequest, maxBytes: number): JsonObject {
  const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType && contentType !== 'application/json') {
    throw new ServiceError('unsupported_media_type', `Content-Type must be application/json (got ${contentType})`);
  }
  const raw = request.body;
  const size = raw === undefined ? 0 : typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.byteLength;
  if (size > maxBytes) throw new ServiceError('payload_too_large', `the request body is larger than ${maxBytes} bytes`);
  const text = raw === undefined ? '' : typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  // An empty body on a POST whose fields are all optional (token rotation) means `{}`.
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ServiceError('invalid_syntax', `the request body is not valid JSON: ${(cause as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ServiceError('invalid_syntax', 'the request body must be a JSON object');
  return parsed as JsonObject;
}

/** Refuses fields the route does not know. */
export function onlyFields(body: JsonObject, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new ServiceError('invalid_value', `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ') || 'none'}`);
  }
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ServiceError('invalid_value', `${field} must be a string`);
  return value;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value.trim() === '') throw new ServiceError('invalid_value', `${field} is required`);
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ServiceError('invalid_value', `${field} must be true or false`);
  return value;
}

export function optionalStringArray(body: JsonObject, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new ServiceError('invalid_value', `${field} must be an array of strings`);
  return value as string[];
}

/** Query parameters: each at most once, and only the ones named. */
export function readQuery(query: URLSearchParams, allowed: readonly string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of new Set(query.keys())) {
    if (!allowed.includes(key)) throw new ServiceError('invalid_value', `unknown query parameter "${key}"; allowed: ${allowed.join(', ') || 'none'}`);
    const values = query.getAll(key);
    if (values.length > 1) throw new ServiceError('invalid_value', `query parameter "${key}" is given more than once`);
    out[key] = values[0] === '' ? undefined : values[0];
  }
  return out;
}

export const MAX_LIMIT = 1000;
export const DEFAULT_LIMIT = 100;

export function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new ServiceError('invalid_value', `limit must be an integer from 1 to ${MAX_LIMIT} (got "${value}")`);
  }
  return n;
}

export function parseEnum<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new ServiceError('invalid_value', `${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}
