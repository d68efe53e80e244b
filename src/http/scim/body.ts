/** Reading a SCIM request body: content type (RFC 7644 §3.1 / §8.1), size limit, JSON syntax. */
import { ServiceError } from '../../domain/errors.js';
import type { HttpRequest } from '../types.js';

const ACCEPTED_TYPES = new Set(['application/scim+json', 'application/json']);

export function bodyText(request: HttpRequest): string | undefined {
  if (request.body === undefined) return undefined;
  return typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
}

/** Parses the JSON body of a write; throws ServiceError with the SCIM-mapped code. */
export function readJsonBody(request: HttpRequest, text: string | undefined, maxBytes: number): unknown {
  const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  // A missing Content-Type is tolerated (some clients omit it); a different one is refused.
  if (contentType && !ACCEPTED_TYPES.has(contentType)) {
    throw new ServiceError('unsupported_media_type', `Content-Type must be application/scim+json or application/json (got ${contentType})`);
  }
  if (text === undefined || text.trim() === '') throw new ServiceError('invalid_syntax', 'the request needs a JSON body');
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new ServiceError('payload_too_large', `the request body is larger than ${maxBytes} bytes`);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ServiceError('invalid_syntax', `the request body is not valid JSON: ${(cause as Error).message}`);
  }
}

/** Tries to parse a body for the request log only; never throws. */
export function tryParse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
