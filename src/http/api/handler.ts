/**
 * The host app's REST API under /api/v1, framework-free: authenticate the API key, route,
 * run the use case, render JSON. Errors are `{ error: { code, message } }` with the status
 * of the code table shared with SCIM (scim/error-body.ts); anything unexpected is a logged 500
 * that quotes the request id and echoes nothing. The OpenAPI document and its rendered page
 * are public: they describe the API, not anyone's data.
 */
import { randomUUID } from 'node:crypto';
import { authenticateApiKey } from '../../app/api-keys/authenticate-api-key.js';
import type { AppContext } from '../../app/context.js';
import { ServiceError, isServiceError } from '../../domain/errors.js';
import { STATUS_BY_CODE } from '../../scim/error-body.js';
import type { HttpRequest, HttpResponse, Logger } from '../types.js';
import { renderDocsPage } from './docs-page.js';
import { readJsonObject, readQuery } from './input.js';
import { buildOpenApiDocument } from './openapi.js';
import { matchApiRoute } from './router.js';
import { API_ROUTES } from './routes.js';

export const API_PREFIX = '/api/v1';

export interface ApiHandlerOptions {
  maxBodyBytes: number;
  logger: Logger;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** The API accepts one form only, `Authorization: Bearer <key>` (SCIM's looser forms serve IdP quirks). */
function bearerCredential(header: string | undefined): string | undefined {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function apiJson(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  // no-store: responses carry directory data and, on create/rotate, secrets shown once.
  return { status, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...headers }, body: JSON.stringify(body) };
}

export function apiError(error: ServiceError): HttpResponse {
  const headers: Record<string, string> = {};
  if (error.code === 'unauthenticated') headers['www-authenticate'] = 'Bearer realm="scimitar-api"';
  const allow = error.meta?.['allow'];
  if (typeof allow === 'string') headers['allow'] = allow;
  return apiJson(STATUS_BY_CODE[error.code], { error: { code: error.code, message: error.detail } }, headers);
}

/** Returns a handler that answers /api/v1 requests, or undefined for any other path. */
export function createApiHandler(ctx: AppContext, options: ApiHandlerOptions) {
  // Built once: the document depends only on the routes and the public URL.
  let openApi: { json: string; html: ReturnType<typeof renderDocsPage> } | undefined;
  const docs = () => {
    if (!openApi) {
      const document = buildOpenApiDocument(API_ROUTES, `${ctx.settings.publicUrl}${API_PREFIX}`);
      openApi = { json: JSON.stringify(document), html: renderDocsPage(document) };
    }
    return openApi;
  };

  return async function handleApi(request: HttpRequest): Promise<HttpResponse | undefined> {
    if (request.path !== API_PREFIX && !request.path.startsWith(`${API_PREFIX}/`)) return undefined;
    const requestId = request.requestId ?? randomUUID();
    const path = request.path.slice(API_PREFIX.length) || '/';
    const method = request.method.toUpperCase();
    let response: HttpResponse;
    try {
      if (method === 'GET' && path === '/openapi.json') {
        response = { status: 200, headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-cache' }, body: docs().json };
      } else if (method === 'GET' && path === '/docs') {
        const page = docs().html;
        response = { status: 200, headers: { ...page.headers, 'cache-control': 'no-cache' }, body: page.body };
      } else {
        response = await authenticatedRoute(request, method, path);
      }
    } catch (error) {
      let failure = isServiceError(error) ? error : undefined;
      if (!failure) {
        options.logger.error({ err: error, requestId, method, path: request.path }, 'API request failed with an internal error');
        failure = new ServiceError('internal', `internal error; quote request id ${requestId} to the service operator`);
      }
      response = apiError(failure);
    }
    response.headers['x-request-id'] = requestId;
    return response;
  };

  async function authenticatedRoute(request: HttpRequest, method: string, path: string): Promise<HttpResponse> {
    // Authenticate before routing, so an unauthenticated caller learns nothing from 404 vs 405.
    const scope = await authenticateApiKey(ctx, bearerCredential(request.headers['authorization']));
    const match = matchApiRoute(API_ROUTES, method, path);
    if (match.kind === 'not_found') throw new ServiceError('not_found', `no API route for ${method} ${request.path}`);
    if (match.kind === 'method_not_allowed') {
      throw new ServiceError('method_not_allowed', `${method} is not allowed here; allowed: ${match.allow.join(', ')}`, { meta: { allow: match.allow.join(', ') } });
    }
    const reply = await match.route.handle({
      ctx,
      scope,
      params: match.params,
      query: readQuery(new URLSearchParams(request.query), match.route.doc.query?.map((q) => q.name) ?? []),
      body: () => readJsonObject(request, options.maxBodyBytes),
    });
    return reply.status === 204 ? { status: 204, headers: { 'cache-control': 'no-store' } } : apiJson(reply.status, reply.body);
  }
}
