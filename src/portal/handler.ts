/**
 * The setup portal and the developer's console under /portal: server-rendered HTML, no client
 * framework. This module is the gate: security headers on every response, the session cookie,
 * the anti-forgery check on every POST, and the tenancy check of the organization and directory
 * a path names, before any page runs. Pages live in pages/ and never repeat those checks.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../app/context.js';
import { signInAdmin } from '../app/portal/admin-users.js';
import { inspectPortalLink, redeemPortalLink } from '../app/portal/portal-links.js';
import type { PortalSession } from '../app/portal/portal-repository.js';
import { endPortalSession, findPortalSession, type OpenedSession } from '../app/portal/sessions.js';
import { ServiceError, isServiceError } from '../domain/errors.js';
import type { HttpRequest, HttpResponse } from '../http/types.js';
import { STATUS_BY_CODE } from '../scim/error-body.js';
import { PortalAssets } from './assets.js';
import { readCookies, serializeCookie } from './cookies.js';
import { html, type HtmlValue } from './html.js';
import { renderPage, type Viewer } from './layout.js';
import type { PageContext, PageOptions, PortalOptions, PortalRoute } from './page-context.js';
import { PortalPaths } from './paths.js';
import { linkLandingPage, loginPage } from './pages/sign-in.js';
import { PORTAL_ROUTES } from './routes.js';
import { LoginThrottle } from './login-throttle.js';

export const PORTAL_PREFIX = '/portal';
const SESSION_COOKIE = 'scimitar_session';
/** Double-submit token for the two forms shown before a session exists (login, setup link). */
const PRE_SESSION_COOKIE = 'scimitar_presession';
const MAX_FORM_BYTES = 64 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // Setup-link tokens are in URLs: never send them to another site in a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function createPortalHandler(ctx: AppContext, options: PortalOptions) {
  const paths = new PortalPaths(ctx.settings.publicUrl);
  const assets = new PortalAssets();
  const secureCookies = ctx.settings.publicUrl.startsWith('https:');
  const brand = options.brand ?? 'Scimitar';
  const sessionLifetimeMs = options.sessionLifetimeMs ?? 12 * 3_600_000;
  const throttle = new LoginThrottle();
  const frameAssets = { css: assets.names['portal.css'], js: assets.names['portal.js'] };

  const render = (title: string, content: HtmlValue, o: PageOptions & { viewer?: Viewer } = {}): HttpResponse => ({
    status: o.status ?? 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...o.headers },
    body: renderPage({ title, paths, assets: frameAssets, viewer: o.viewer, crumbs: o.crumbs, brand }, content).value,
  });
  const redirect = (location: string, headers: Record<string, string> = {}): HttpResponse => ({
    status: 303,
    headers: { location, 'cache-control': 'no-store', ...headers },
  });
  const sessionCookie = (opened: OpenedSession) =>
    serializeCookie(SESSION_COOKIE, opened.secret, { path: paths.root, secure: secureCookies, maxAge: Math.floor(sessionLifetimeMs / 1000) });
  const homeOf = (session: PortalSession) =>
    session.principal.kind === 'console' ? paths.console() : paths.org(session.principal.organizationId);

  return async function handlePortal(request: HttpRequest): Promise<HttpResponse | undefined> {
    if (request.path !== PORTAL_PREFIX && !request.path.startsWith(`${PORTAL_PREFIX}/`)) return undefined;
    const requestId = request.requestId ?? randomUUID();
    let response: HttpResponse;
    try {
      response = await dispatch(request, request.path.slice(PORTAL_PREFIX.length) || '/');
    } catch (error) {
      let failure = isServiceError(error) ? error : undefined;
      if (!failure) {
        options.logger.error({ err: error, requestId, method: request.method, path: redactPath(request.path) }, 'portal request failed with an internal error');
        failure = new ServiceError('internal', `Something went wrong on our side. If it keeps happening, quote request id ${requestId}.`);
      }
      response = errorPage(failure);
    }
    response.headers = { ...SECURITY_HEADERS, ...response.headers, 'x-request-id': requestId };
    return response;
  };

  function errorPage(error: ServiceError, viewer?: Viewer): HttpResponse {
    const status = STATUS_BY_CODE[error.code];
    const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : status >= 500 ? 'Something went wrong' : 'That did not work';
    return render(title, html`<div class="center panel"><h1>${title}</h1><p>${error.detail}</p><p><a href="${paths.home()}">Back to the start</a></p></div>`, { status, viewer });
  }

  async function dispatch(request: HttpRequest, path: string): Promise<HttpResponse> {
    const method = request.method.toUpperCase();
    if (path.startsWith('/assets/')) {
      return (method === 'GET' || method === 'HEAD') && assets.serve(path.slice('/assets/'.length)) || errorPage(new ServiceError('not_found', 'no such file'));
    }
    const cookies = readCookies(request.headers['cookie']);
    const session = await findPortalSession(ctx, cookies.get(SESSION_COOKIE));
    if (method === 'POST') assertSameOrigin(request);

    // Pages that need no session.
    if (path === '/login') return method === 'POST' ? login(request, cookies) : preSessionForm(session, (token) => loginPage({ paths, render, csrf: token }));
    if (path.startsWith('/link/')) {
      const token = decodeSegment(path.slice('/link/'.length));
      return method === 'POST' ? redeemLink(request, cookies, token) : linkLanding(token);
    }
    if (path === '/logout' && method === 'POST') {
      if (session) assertCsrf(session.csrfToken, await readForm(request));
      await endPortalSession(ctx, cookies.get(SESSION_COOKIE));
      return redirect(paths.login() + '?signed_out=1', { 'set-cookie': serializeCookie(SESSION_COOKIE, '', { path: paths.root, secure: secureCookies, maxAge: 0 }) });
    }
    if (!session) {
      if (method === 'GET' && path === '/') return redirect(paths.login());
      return render('Signed out', html`<div class="center panel"><h1>Your session has ended</h1><p>Open your setup link again, or ask the person who sent it for a new one. Developers sign in on the <a href="${paths.login()}">console sign-in page</a>.</p></div>`, { status: 401 });
    }
    if (path === '/' && method === 'GET') return redirect(homeOf(session));
    return route(request, method, path, session);
  }

  async function route(request: HttpRequest, method: string, path: string, session: PortalSession): Promise<HttpResponse> {
    const viewer = await viewerOf(session);
    const match = matchRoute(method, path);
    const notFound = () => errorPage(new ServiceError('not_found', 'There is no such page, or you may not see it.'), viewer);
    if (!match) return notFound();
    const { route: r, params } = match;
    const principal = session.principal;
    if (r.consoleOnly && principal.kind !== 'console') return notFound();
    // Tenancy: an organization's session sees that organization only; a directory must belong to it.
    let organization;
    let directory;
    if (params['org'] !== undefined) {
      if (principal.kind === 'organization' && principal.organizationId !== params['org']) return notFound();
      organization = await ctx.store.organizations.findById(params['org']);
      if (!organization) return notFound();
    }
    if (params['dir'] !== undefined) {
      directory = await ctx.store.directories.findById(params['dir']);
      if (!directory || directory.organizationId !== organization?.id) return notFound();
    }
    const form = method === 'POST' ? await readForm(request) : new URLSearchParams();
    if (method === 'POST') assertCsrf(session.csrfToken, form);
    const page: PageContext = {
      ctx,
      options,
      paths,
      request,
      params,
      query: new URLSearchParams(request.query),
      form,
      session,
      viewer,
      now: ctx.clock.now(),
      organization,
      directory,
      page: (title, content, o = {}) => render(title, content, { ...o, viewer }),
      redirect: (location) => redirect(location),
    };
    try {
      return await r.handle(page);
    } catch (error) {
      if (isServiceError(error) && error.code !== 'internal') return errorPage(error, viewer);
      throw error;
    }
  }

  async function viewerOf(session: PortalSession): Promise<Viewer> {
    if (session.principal.kind === 'console') return { label: 'Developer console', csrfToken: session.csrfToken, isConsole: true };
    const org = await ctx.store.organizations.findById(session.principal.organizationId);
    return { label: org?.name ?? 'Organization', csrfToken: session.csrfToken, isConsole: false };
  }

  /** GET of a form shown before sign-in: sets the double-submit cookie the POST must echo. */
  function preSessionForm(session: PortalSession | undefined, build: (token: string) => HttpResponse): HttpResponse {
    if (session) return redirect(homeOf(session));
    const token = randomBytes(24).toString('base64url');
    const response = build(token);
    response.headers['set-cookie'] = serializeCookie(PRE_SESSION_COOKIE, token, { path: paths.root, secure: secureCookies, maxAge: 3600 });
    return response;
  }

  async function login(request: HttpRequest, cookies: Map<string, string>): Promise<HttpResponse> {
    const form = await readForm(request);
    assertCsrf(cookies.get(PRE_SESSION_COOKIE) ?? '', form);
    const email = form.get('email') ?? '';
    const retryAfter = throttle.blockedFor(email, request.clientIp ?? null, Date.now());
    if (retryAfter > 0) {
      return loginPage({ paths, render, csrf: cookies.get(PRE_SESSION_COOKIE) ?? '', email, error: `Too many failed attempts. Try again in ${Math.ceil(retryAfter / 60_000)} minutes.`, status: 429 });
    }
    try {
      const opened = await signInAdmin(ctx, { email, password: form.get('password') ?? '', sessionLifetimeMs });
      throttle.succeeded(email);
      return redirect(paths.console(), { 'set-cookie': sessionCookie(opened) });
    } catch (error) {
      if (!isServiceError(error) || error.code !== 'unauthenticated') throw error;
      throttle.failed(email, request.clientIp ?? null, Date.now());
      return loginPage({ paths, render, csrf: cookies.get(PRE_SESSION_COOKIE) ?? '', email, error: error.detail, status: 401 });
    }
  }

  async function linkLanding(token: string): Promise<HttpResponse> {
    try {
      const { organization, link } = await inspectPortalLink(ctx, token);
      return preSessionForm(undefined, (csrf) => linkLandingPage({ paths, render, csrf, token, organizationName: organization.name, expiresAt: link.expiresAt, now: ctx.clock.now() }));
    } catch (error) {
      if (isServiceError(error)) return linkProblem(error);
      throw error;
    }
  }

  async function redeemLink(request: HttpRequest, cookies: Map<string, string>, token: string): Promise<HttpResponse> {
    assertCsrf(cookies.get(PRE_SESSION_COOKIE) ?? '', await readForm(request));
    try {
      const opened = await redeemPortalLink(ctx, { token, clientIp: request.clientIp ?? null, sessionLifetimeMs });
      const principal = opened.session.principal;
      return redirect(principal.kind === 'organization' ? paths.org(principal.organizationId) : paths.home(), { 'set-cookie': sessionCookie(opened) });
    } catch (error) {
      if (isServiceError(error) && error.code.startsWith('portal_link_')) return linkProblem(error);
      throw error;
    }
  }

  function linkProblem(error: ServiceError): HttpResponse {
    const title = error.code === 'portal_link_expired' ? 'This setup link has expired' : error.code === 'portal_link_used' ? 'This setup link was already used' : 'This setup link is not valid';
    return render(title, html`<div class="center panel"><h1>${title}</h1><p>${error.detail}.</p><p class="muted">For your security, setup links work once and for a limited time. The person who sent it can create a new one in a few seconds.</p></div>`, {
      status: STATUS_BY_CODE[error.code],
    });
  }
}

function matchRoute(method: string, path: string): { route: PortalRoute; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  for (const route of PORTAL_ROUTES) {
    if (route.method !== method) continue;
    const parts = route.path.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i]!;
      if (part.startsWith('{')) params[part.slice(1, -1)] = segments[i]!;
      else ok = part === segments[i];
    }
    if (ok) return { route, params };
  }
  return undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '\u0000';
  }
}

async function readForm(request: HttpRequest): Promise<URLSearchParams> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
  if (body.length > MAX_FORM_BYTES) throw new ServiceError('payload_too_large', 'the form is too large');
  if (body && type !== 'application/x-www-form-urlencoded') throw new ServiceError('unsupported_media_type', 'forms must be sent as application/x-www-form-urlencoded');
  return new URLSearchParams(body);
}

function assertCsrf(expected: string, form: URLSearchParams): void {
  const given = Buffer.from(form.get('_csrf') ?? '');
  const want = Buffer.from(expected);
  if (want.length === 0 || given.length !== want.length || !timingSafeEqual(given, want)) {
    throw new ServiceError('forbidden', 'This form has expired or did not come from this site. Go back, reload the page and try again.');
  }
}

/** Browsers say where a POST came from; one from another site is refused before anything else. */
function assertSameOrigin(request: HttpRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site') throw new ServiceError('forbidden', 'This form did not come from this site.');
}

/** Setup-link tokens must not reach logs: '/portal/link/<token>' becomes '/portal/link/[redacted]'. */
export function redactPath(path: string): string {
  return path.replace(/(\/portal\/link\/)[^/?]+/, '$1[redacted]');
}
