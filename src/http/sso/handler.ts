/**
 * SAML single sign-on under /sso, framework-free, registered as a surface next to the portal:
 *
 *   GET  /sso/authorize                 start an SP-initiated sign-in (302 to the IdP)
 *   POST /sso/acs/{connectionId}        the IdP's HTTP-POST answer (302 to the host app with a code)
 *   POST /sso/token                     the host app trades the code for the profile (API key)
 *   GET  /sso/metadata/{connectionId}   our SP metadata for the IdP
 *
 * Browser-facing failures are HTML pages (sso/pages.ts) with a correlation id; the token route
 * answers JSON like the REST API. Nothing unexpected is echoed: it is logged with the request id.
 */
import { randomUUID } from 'node:crypto';
import { authenticateApiKey } from '../../app/api-keys/authenticate-api-key.js';
import type { AppContext } from '../../app/context.js';
import { beginSignIn } from '../../app/sso/begin-sign-in.js';
import { completeSignIn, type SignInOptions } from '../../app/sso/complete-sign-in.js';
import { exchangeSignInCode } from '../../app/sso/exchange-code.js';
import { serviceProviderMetadata } from '../../app/sso/sp-metadata-document.js';
import { ServiceError, isServiceError } from '../../domain/errors.js';
import type { JsonObject } from '../../domain/json.js';
import { STATUS_BY_CODE } from '../../scim/error-body.js';
import { apiError } from '../api/handler.js';
import type { SurfaceHandler } from '../app-handler.js';
import type { HttpRequest, HttpResponse, Logger } from '../types.js';
import { SSO_SECURITY_HEADERS, failureTitle, signInPage } from './pages.js';

export const SSO_PREFIX = '/sso';

export interface SsoHandlerOptions {
  logger: Logger;
  /** Largest body accepted on the ACS and token routes (the server's body limit). */
  maxBodyBytes: number;
  signIn?: SignInOptions;
}

type Route = 'authorize' | 'acs' | 'token' | 'metadata';
const METHODS: Record<Route, string> = { authorize: 'GET', acs: 'POST', token: 'POST', metadata: 'GET' };

function matchRoute(path: string): { route: Route; id?: string } | undefined {
  if (path === '/sso/authorize') return { route: 'authorize' };
  if (path === '/sso/token') return { route: 'token' };
  const m = /^\/sso\/(acs|metadata)\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(m[2]!);
  } catch {
    return undefined;
  }
  return { route: m[1] as Route, id };
}

const bodyText = (request: HttpRequest): string =>
  request.body === undefined ? '' : typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
const bodySize = (request: HttpRequest): number =>
  request.body === undefined ? 0 : typeof request.body === 'string' ? Buffer.byteLength(request.body, 'utf8') : request.body.byteLength;
const mediaType = (request: HttpRequest): string => (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

export function createSsoHandler(ctx: AppContext, options: SsoHandlerOptions): SurfaceHandler {
  return async function handleSso(request: HttpRequest): Promise<HttpResponse | undefined> {
    if (request.path !== SSO_PREFIX && !request.path.startsWith(`${SSO_PREFIX}/`)) return undefined;
    const requestId = request.requestId ?? randomUUID();
    const method = request.method.toUpperCase();
    const match = matchRoute(request.path);
    let response: HttpResponse;
    try {
      if (!match) {
        response = signInPage({ status: 404, title: 'Not found', message: 'There is no such sign-in page.' });
      } else if (method !== METHODS[match.route]) {
        const allow = METHODS[match.route];
        response =
          match.route === 'token'
            ? apiError(new ServiceError('method_not_allowed', `${method} is not allowed here; allowed: ${allow}`, { meta: { allow } }))
            : signInPage({ status: 405, title: 'Not allowed', message: `This address answers ${allow} requests only.`, headers: { allow } });
      } else if (match.route === 'authorize') {
        response = await authorize(request, requestId);
      } else if (match.route === 'acs') {
        response = await acs(request, match.id!);
      } else if (match.route === 'token') {
        response = await token(request);
      } else {
        response = await metadata(match.id!);
      }
    } catch (error) {
      options.logger.error({ err: error, requestId, method, path: request.path }, 'SSO request failed with an internal error');
      response =
        match?.route === 'token'
          ? apiError(new ServiceError('internal', `internal error; quote request id ${requestId} to the service operator`))
          : signInPage({ status: 500, title: 'Something went wrong', message: 'The sign-in could not be completed because of a problem on our side. Please try again in a moment.', requestId });
    }
    // JSON and XML answers carry their own headers; every page gets the browser protections.
    response.headers = { ...(response.headers['content-type']?.startsWith('text/html') ? SSO_SECURITY_HEADERS : {}), ...response.headers, 'x-request-id': requestId };
    return response;
  };

  async function authorize(request: HttpRequest, requestId: string): Promise<HttpResponse> {
    const query = new URLSearchParams(request.query);
    const one = (name: string) => query.get(name) ?? undefined;
    try {
      const begun = await beginSignIn(ctx, {
        organization: one('organization'),
        connection: one('connection'),
        redirectUri: one('redirect_uri'),
        state: one('state'),
        loginHint: one('login_hint'),
      });
      return { status: 302, headers: { location: begun.location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
    } catch (error) {
      if (!isServiceError(error) || error.code === 'internal') throw error;
      return signInPage({ status: STATUS_BY_CODE[error.code], title: 'This sign-in link does not work', message: error.detail, requestId });
    }
  }

  async function acs(request: HttpRequest, connectionId: string): Promise<HttpResponse> {
    const size = bodySize(request);
    const oversized = size > options.maxBodyBytes;
    const form = !oversized && mediaType(request) === 'application/x-www-form-urlencoded' ? new URLSearchParams(bodyText(request)) : new URLSearchParams();
    const result = await completeSignIn(
      ctx,
      {
        connectionId,
        samlResponse: form.get('SAMLResponse'),
        relayState: form.get('RelayState'),
        clientIp: request.clientIp ?? null,
        ...(oversized ? { oversizedBytes: size } : {}),
      },
      options.signIn,
    );
    if (result.ok) return { status: 302, headers: { location: result.location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
    return signInPage({ status: oversized ? 413 : result.status, title: failureTitle(result.code, result.status), message: result.detail, correlationId: result.correlationId });
  }

  async function token(request: HttpRequest): Promise<HttpResponse> {
    try {
      const credential = /^\s*bearer\s+(\S+)\s*$/i.exec(request.headers['authorization'] ?? '')?.[1];
      const scope = await authenticateApiKey(ctx, credential);
      const code = readCode(request);
      const profile = await exchangeSignInCode(ctx, scope, code);
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' }, body: JSON.stringify(profile) };
    } catch (error) {
      if (!isServiceError(error) || error.code === 'internal') throw error;
      return apiError(error);
    }
  }

  /** `{ "code": "…" }` as JSON, or `code=…` as a form. */
  function readCode(request: HttpRequest): string | undefined {
    if (bodySize(request) > 16 * 1024) throw new ServiceError('payload_too_large', 'the request body is too large for a code');
    const type = mediaType(request);
    const text = bodyText(request);
    if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(text).get('code') ?? undefined;
    if (type !== '' && type !== 'application/json') throw new ServiceError('unsupported_media_type', 'send the code as application/json ({"code": "…"}) or as a form');
    if (text.trim() === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ServiceError('invalid_syntax', 'the request body is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ServiceError('invalid_syntax', 'the request body must be a JSON object');
    const code = (parsed as JsonObject)['code'];
    if (code !== undefined && typeof code !== 'string') throw new ServiceError('invalid_value', 'code must be a string');
    return code;
  }

  async function metadata(connectionId: string): Promise<HttpResponse> {
    try {
      const xml = await serviceProviderMetadata(ctx, connectionId);
      return {
        status: 200,
        headers: { 'content-type': 'application/samlmetadata+xml; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
        body: xml,
      };
    } catch (error) {
      if (!isServiceError(error) || error.code !== 'not_found') throw error;
      return signInPage({ status: 404, title: 'Not found', message: 'There is no such sign-in connection.' });
    }
  }
}
