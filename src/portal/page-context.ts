/**
 * What every portal page handler receives: the app context, the signed-in viewer, the
 * organization and directory named in the path (already checked against the session), the
 * parsed form of a POST (already checked for the anti-forgery token), and render helpers.
 */
import type { AppContext } from '../app/context.js';
import type { PortalSession } from '../app/portal/portal-repository.js';
import type { Directory, Organization } from '../domain/model.js';
import type { HttpRequest, HttpResponse, Logger } from '../http/types.js';
import type { HtmlValue } from './html.js';
import type { Viewer } from './layout.js';
import type { PortalPaths } from './paths.js';

export interface PortalOptions {
  logger: Logger;
  /** Writes buffered SCIM request-log entries, so the log and health screens are current. */
  flushRequestLog(): Promise<void>;
  /** Product name in the top bar (default "Scimitar"). */
  brand?: string;
  /** How long a portal session lasts (default 12 hours). */
  sessionLifetimeMs?: number;
}

export interface PageOptions {
  status?: number;
  crumbs?: { href: string; label: string }[];
  headers?: Record<string, string>;
}

export interface PageContext {
  ctx: AppContext;
  options: PortalOptions;
  paths: PortalPaths;
  request: HttpRequest;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The POST body (x-www-form-urlencoded); empty for GET. */
  form: URLSearchParams;
  session: PortalSession;
  viewer: Viewer;
  now: Date;
  /** Present when the route has {org}: the session may see it. */
  organization: Organization | undefined;
  /** Present when the route has {dir}: it belongs to `organization`. */
  directory: Directory | undefined;
  page(title: string, content: HtmlValue, options?: PageOptions): HttpResponse;
  /** 303 See Other: after a POST, the browser GETs the result (no resubmission on reload). */
  redirect(location: string): HttpResponse;
}

export interface PortalRoute {
  method: 'GET' | 'POST';
  /** Relative to /portal; `{org}`, `{dir}` and other `{name}` segments are parameters. */
  path: string;
  /** Only console (admin) sessions may use it; others get 404. */
  consoleOnly?: boolean;
  handle(page: PageContext): Promise<HttpResponse>;
}

/** The organization and directory a route names, typed as present (the router checked them). */
export function scope(page: PageContext): { organization: Organization; directory: Directory } {
  if (!page.organization || !page.directory) throw new Error('route without {org} and {dir} asked for its directory');
  return { organization: page.organization, directory: page.directory };
}

export function orgScope(page: PageContext): Organization {
  if (!page.organization) throw new Error('route without {org} asked for its organization');
  return page.organization;
}
