/**
 * The SCIM 2.0 HTTP surface, framework-free: route, authenticate, run the use case, render
 * SCIM JSON (errors through scim/error-body.ts only), and record the request in the
 * directory's request log. Never answers HTML, never leaks an internal error.
 */
import { randomUUID } from 'node:crypto';
import { authenticateScimRequest } from '../../app/scim/authenticate.js';
import { scimBaseUrl, type AppContext } from '../../app/context.js';
import { ServiceError, isServiceError } from '../../domain/errors.js';
import type { Directory } from '../../domain/model.js';
import type { RequestLogEntry } from '../../app/ports.js';
import { scimErrorBody } from '../../scim/error-body.js';
import type { JsonObject } from '../../scim/types.js';
import { SCIM_CONTENT_TYPE } from '../../scim/urns.js';
import type { HttpRequest, HttpResponse, Logger } from '../types.js';
import { bodyText, readJsonBody, tryParse } from './body.js';
import { credentialFromAuthorization } from './credentials.js';
import { redactBody } from './redact.js';
import { matchScimRoute, type ScimRoute } from './routes.js';
import { handleDiscovery } from './discovery-routes.js';
import { handleGroupRoute, handleUserRoute } from './resource-routes.js';

export interface ScimHandlerOptions {
  maxBodyBytes: number;
  logger: Logger;
  /** Where request log entries go (buffered; see app/request-log-buffer.ts). */
  recordRequest: (entry: RequestLogEntry) => void;
}

/** What a route handler gets. */
export interface RouteInput {
  ctx: AppContext;
  directory: Directory;
  baseUrl: string;
  request: HttpRequest;
  params: URLSearchParams;
  /** Parses the JSON body (content type, size and syntax checked). */
  json(): unknown;
}

export function scimJson(status: number, body: JsonObject | undefined, headers: Record<string, string> = {}): HttpResponse {
  return body === undefined
    ? { status, headers }
    : { status, headers: { 'content-type': `${SCIM_CONTENT_TYPE}; charset=utf-8`, ...headers }, body: JSON.stringify(body) };
}

export function scimError(error: ServiceError, extraHeaders: Record<string, string> = {}): HttpResponse {
  const { status, body } = scimErrorBody(error.code, error.detail);
  const headers: Record<string, string> = { ...extraHeaders };
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="scimitar", error="invalid_token"';
  return scimJson(status, body, headers);
}

/** Returns a handler that answers SCIM requests, or undefined for paths outside /scim/v2/. */
export function createScimHandler(ctx: AppContext, options: ScimHandlerOptions) {
  return async function handleScim(request: HttpRequest): Promise<HttpResponse | undefined> {
    const match = matchScimRoute(request.method, request.path);
    if (!match.ok && match.reason === 'not_scim') return undefined;
    const started = performance.now();
    const requestId = request.requestId ?? randomUUID();
    const text = bodyText(request);
    let directory: Directory | undefined;
    let response: HttpResponse;
    let failure: ServiceError | undefined;

    try {
      if (!match.ok) {
        // Authenticate before saying anything about a path, so unknown routes leak nothing.
        directory = await authenticate(match.directoryId);
        if (match.reason === 'not_found') throw new ServiceError('not_found', `no SCIM endpoint at ${request.method} ${request.path}`);
        throw new ServiceError('method_not_allowed', `${request.method} is not allowed here; allowed: ${match.allow.join(', ')}`, {
          meta: { allow: match.allow.join(', ') },
        });
      }
      directory = await authenticate(match.directoryId);
      response = await route(match.route, {
        // A per-request copy: the use cases stamp the request id on the events they append.
        ctx: { ...ctx, requestId },
        directory,
        baseUrl: scimBaseUrl(ctx.settings, directory.id),
        request,
        params: new URLSearchParams(request.query),
        json: () => readJsonBody(request, text, options.maxBodyBytes),
      });
    } catch (error) {
      failure = isServiceError(error) ? error : undefined;
      if (!failure) {
        options.logger.error({ err: error, requestId, method: request.method, path: request.path }, 'SCIM request failed with an internal error');
        failure = new ServiceError('internal', `internal error; quote request id ${requestId} to the service operator`);
      }
      const allow = failure.meta?.['allow'];
      response = scimError(failure, typeof allow === 'string' ? { allow } : {});
    }
    response.headers['x-request-id'] = requestId;

    const durationMs = performance.now() - started;
    if (directory || failure?.meta?.['directoryKnown']) {
      const directoryId = directory?.id ?? match.directoryId;
      options.recordRequest({
          directoryId,
          id: ctx.ids.next('req'),
          at: ctx.clock.now().toISOString(),
          requestId,
          method: request.method.toUpperCase(),
          path: request.path,
          query: request.query ? decodeQueryForLog(request.query) : null,
          status: response.status,
          durationMs: Math.round(durationMs * 100) / 100,
          scimType: failure ? (scimErrorBody(failure.code, '').scimType ?? null) : null,
          detail: failure?.detail ?? null,
          requestBody: redactBody(tryParse(text), text),
        clientIp: request.clientIp ?? null,
      });
    }
    return response;

    async function authenticate(directoryId: string): Promise<Directory> {
      return authenticateScimRequest(ctx, {
        directoryId,
        credential: credentialFromAuthorization(request.headers['authorization']),
        clientIp: request.clientIp ?? null,
      });
    }
  };
}

function decodeQueryForLog(query: string): string {
  try {
    return decodeURIComponent(query.replace(/\+/g, ' '));
  } catch {
    return query;
  }
}

function route(r: ScimRoute, input: RouteInput): Promise<HttpResponse> {
  switch (r.kind) {
    case 'users':
    case 'user':
      return handleUserRoute(r, input);
    case 'groups':
    case 'group':
      return handleGroupRoute(r, input);
    default:
      return handleDiscovery(r, input);
  }
}
