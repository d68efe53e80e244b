/**
 * What the single sign-on screens share: the connection a path names (always looked up within
 * the session's organization, so another organization's connection is "Not found"), their URLs,
 * breadcrumbs and tabs, how a certificate's validity reads, and turning the API's field names in
 * a use case's error into the words the forms use.
 */
import { getSsoConnection } from '../../app/sso/connections.js';
import type { SsoConnection } from '../../domain/sso.js';
import type { HttpResponse } from '../../http/types.js';
import type { CertificateInfo } from '../../saml/certificate.js';
import { badge } from '../components.js';
import { crumbsFor } from '../directory-frame.js';
import { html, type Html, type HtmlValue } from '../html.js';
import { orgScope, type PageContext } from '../page-context.js';

export type ConnectionTab = 'setup' | 'log';

/** The connection named by {connection}, of the session's organization only. */
export function connectionOf(page: PageContext): Promise<SsoConnection> {
  return getSsoConnection(page.ctx, { organizationId: orgScope(page).id, connectionId: page.params['connection'] ?? '' });
}

export const ssoHref = (page: PageContext, sub = ''): string => page.paths.org(orgScope(page).id, `/sso${sub}`);

export const connectionHref = (page: PageContext, connectionId: string, sub = ''): string => ssoHref(page, `/${encodeURIComponent(connectionId)}${sub}`);

/** The page of a user of the connection's directory. */
export const userHref = (page: PageContext, connection: SsoConnection, userId: string): string =>
  page.paths.dir(orgScope(page).id, connection.directoryId, `/users/${encodeURIComponent(userId)}`);

export function ssoCrumbs(page: PageContext, withSso: boolean): { href: string; label: string }[] {
  const crumbs = crumbsFor(page, orgScope(page));
  return withSso ? [...crumbs, { href: ssoHref(page), label: 'Single sign-on' }] : crumbs;
}

export function connectionStatusBadge(connection: Pick<SsoConnection, 'status'>): Html {
  return connection.status === 'active' ? badge('Active', 'ok') : badge('Inactive', 'muted');
}

/** A connection's page: crumbs "<Org> / Single sign-on", its name and status, the tabs, then `content`. */
export function connectionPage(page: PageContext, connection: SsoConnection, tab: ConnectionTab, title: string, content: HtmlValue, options: { status?: number } = {}): HttpResponse {
  const items = [
    { id: 'setup', href: connectionHref(page, connection.id), label: 'Setup' },
    { id: 'log', href: connectionHref(page, connection.id, '/attempts'), label: 'Sign-in log' },
  ] as const;
  return page.page(
    `${title} · ${connection.name}`,
    html`<h1>${connection.name} ${connectionStatusBadge(connection)}</h1>
<nav class="tabs" aria-label="Connection sections">${items.map((t) => html`<a href="${t.href}"${t.id === tab ? html` aria-current="page"` : ''}>${t.label}</a>`)}</nav>
${content}`,
    { status: options.status, crumbs: ssoCrumbs(page, true) },
  );
}

/** `ab12…` as Okta and browsers show it: `AB:12:…`. */
export function fingerprintText(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}

const DAY_MS = 86_400_000;
/** Warn this long before a certificate expires: time enough to add the IdP's next one. */
export const CERTIFICATE_WARNING_DAYS = 30;

/** "Valid until 2034-01-01", "Expires in 12 days" or "Expired", as a badge and a date. */
export function certificateValidity(info: CertificateInfo, now: Date): Html {
  if (!info.notAfter) return badge('Unreadable', 'warn');
  const until = Date.parse(info.notAfter);
  const date = html`<time datetime="${info.notAfter}" title="${info.notAfter}">${info.notAfter.slice(0, 10)}</time>`;
  if (until <= now.getTime()) return html`${badge('Expired', 'bad')} <span class="hint">on ${date}</span>`;
  const days = Math.ceil((until - now.getTime()) / DAY_MS);
  if (days <= CERTIFICATE_WARNING_DAYS) return html`${badge(`Expires in ${days} ${days === 1 ? 'day' : 'days'}`, 'warn')} <span class="hint">on ${date}</span>`;
  return html`${badge('Valid', 'ok')} <span class="hint">until ${date}</span>`;
}

/** The subject's CN when it has one ("CN=dev-123456, O=Okta" → "dev-123456"), else the whole subject. */
export function certificateName(info: CertificateInfo): string {
  const cn = /(?:^|[\n,/]\s*)CN=([^\n,/]+)/.exec(info.subject)?.[1]?.trim();
  return cn || info.subject || 'certificate';
}

/** Non-empty lines (or whitespace-separated items) of a textarea: redirect URLs, domains. */
export function listOf(text: string | null): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Each PEM block of a textarea (several may be pasted at once), or the whole text when it has none. */
export function certificatesOf(text: string): string[] {
  const blocks = text.match(/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/g);
  return blocks && blocks.length > 0 ? blocks : [text];
}

const FIELD_WORDS: [RegExp, (m: string[]) => string][] = [
  [/redirectUrls\[(\d+)\]/, (m) => `Redirect URL ${Number(m[1]) + 1}`],
  [/redirectUrls/, () => 'the redirect URLs'],
  [/defaultRedirectUrl/, () => 'The default redirect URL'],
  [/metadataUrl/, () => 'The metadata URL'],
  [/metadataXml/, () => 'The metadata XML'],
  [/fields\.ssoUrl/, () => 'The SSO URL'],
  [/fields\.entityId/, () => 'The IdP entity ID'],
  [/fields\.certificates\[(\d+)\]/, (m) => `Certificate ${Number(m[1]) + 1}`],
  [/fields\.certificates/, () => 'The certificate'],
  [/addCertificate(?:\[\d+\])?: /, () => ''],
  [/addCertificate/, () => 'The certificate'],
  [/allowIdpInitiated/, () => 'IdP-initiated sign-in'],
];

/** A use case's message in the portal's words: `redirectUrls[0] must be…` → `Redirect URL 1 must be…`. */
export function inFormWords(detail: string): string {
  let text = detail;
  for (const [pattern, words] of FIELD_WORDS) {
    const global = new RegExp(pattern.source, 'g');
    text = text.replace(global, (...args: unknown[]) => words(args.slice(0, -2) as string[]));
  }
  // "The metadata URL is required" at the start; lower case inside a sentence.
  text = text.replace(/(?<=\S\s)The (metadata|default|SSO|IdP|certificate)/g, 'the $1');
  // A sentence starts with a capital, unless it starts with a value (`globex.example is already claimed`).
  return /^[a-z]+[\s:,]/.test(text) ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}
