/**
 * A connection's sign-in log: every attempt, newest first, 50 a page (keyset: "Older" continues
 * below the last id shown). Filters in a GET form: failures only, and a search for the reference
 * (correlation id) a person quotes from the error page, or their email. A failure shows its reason
 * code, the words the person saw, what was expected and what arrived (want/got), and, for the
 * usual causes, the fix in Okta's own terms.
 */
import { listSsoAttempts } from '../../app/sso/connections.js';
import { spValues } from '../../app/sso/sp-values.js';
import type { SsoAttempt, SsoConnection } from '../../domain/sso.js';
import type { HttpResponse } from '../../http/types.js';
import { badge, time } from '../components.js';
import { ui } from '../guides/guide.js';
import { html, type Html } from '../html.js';
import { orgScope, type PageContext, type PortalRoute } from '../page-context.js';
import { connectionHref, connectionOf, connectionPage, ssoHref, userHref } from './sso-frame.js';

export const ATTEMPTS_PAGE_SIZE = 50;
const MAX_SEARCH = 200;
/** A search reads the log in batches, newest first, and stops after this many attempts (then offers "Search older"). */

interface AttemptFilters {
  failuresOnly: boolean;
  q: string;
  before: string;
}

function readFilters(query: URLSearchParams): AttemptFilters {
  return {
    failuresOnly: query.get('failures') === '1',
    q: (query.get('q') ?? '').trim().slice(0, MAX_SEARCH),
    before: (query.get('before') ?? '').trim().slice(0, 100),
  };
}

function filterQuery(f: AttemptFilters, before?: string): string {
  const q = new URLSearchParams();
  if (f.failuresOnly) q.set('failures', '1');
  if (f.q) q.set('q', f.q);
  if (before) q.set('before', before);
  const text = q.toString();
  return text ? `?${text}` : '';
}

export interface FoundAttempts {
  items: SsoAttempt[];
  /** Where the next (older) page starts, when there is one. */
  olderBefore: string | undefined;
}

/**
 * One page of attempts, newest first, optionally only those the search matches (its reference,
 * whole or in part, its id, its user id, or the subject): one indexed query in the store.
 * Scoped by organization.
 */
export async function findAttempts(page: PageContext, connection: SsoConnection, f: AttemptFilters, limit = ATTEMPTS_PAGE_SIZE): Promise<FoundAttempts> {
  const found = await listSsoAttempts(page.ctx, {
    organizationId: orgScope(page).id,
    connectionId: connection.id,
    failuresOnly: f.failuresOnly,
    limit: limit + 1,
    beforeId: f.before || undefined,
    ...(f.q ? { search: f.q } : {}),
  });
  const items = found.slice(0, limit);
  return { items, olderBefore: found.length > limit ? items.at(-1)!.id : undefined };
}

// ---------------------------------------------------------------------------------------------
// Fixes, in Okta's words (docs/okta-saml.md "Troubleshooting").

export interface FixContext {
  spEntityId: string;
  acsUrl: string;
  fromUrl: boolean;
  /** The connection's Setup tab (anchors #idp and #options). */
  setupHref: string;
  policyHref: string;
}

const value = (text: string): Html => html`<code>${text}</code>`;
const here = (href: string, text: string): Html => html`<a href="${href}">${text}</a>`;

const FIXES: Record<string, (c: FixContext) => Html> = {
  audience_mismatch: (c) =>
    html`In Okta, open the app's ${ui('General')} tab, ${ui('SAML Settings')}, ${ui('Edit')}, and set ${ui('Audience URI (SP Entity ID)')} to ${value(c.spEntityId)}.`,
  recipient_mismatch: (c) =>
    html`In Okta (${ui('General')} tab, ${ui('SAML Settings')}, ${ui('Edit')}), set ${ui('Single sign-on URL')} to ${value(c.acsUrl)} and keep ${ui('Use this for Recipient URL and Destination URL')} checked.`,
  issuer_mismatch: (c) =>
    c.fromUrl
      ? html`The response comes from another Okta app or tenant than the metadata this connection holds. Copy this app's ${ui('Metadata URL')} (${ui('Sign On')} tab) and ${here(`${c.setupHref}#idp`, 'read the metadata again')}.`
      : html`The response comes from another Okta app or tenant. Correct the ${here(`${c.setupHref}#idp`, 'IdP entity ID')} (in Okta: ${ui('Sign On')} tab, ${ui('View SAML setup instructions')}, ${ui('Identity Provider Issuer')}).`,
  certificate_untrusted: (c) =>
    c.fromUrl
      ? html`Okta signed with a certificate this connection does not trust: Okta rotated the app's signing certificate, or the connection holds another app's metadata. ${here(`${c.setupHref}#idp`, 'Read from URL')} again.`
      : html`Okta signed with a certificate this connection does not trust (Okta rotated it, or it is another app's). Download the app's certificate (${ui('Sign On')} tab, ${ui('SAML Signing Certificates')}, ${ui('Actions')}, ${ui('Download certificate')}) and ${here(`${c.setupHref}#idp`, 'add it')}.`,
  signature_invalid: (c) =>
    html`The signature does not verify with this connection's certificates: the response was changed on its way, or signed with another key. Check that the connection holds this Okta app's current certificate (${here(`${c.setupHref}#idp`, 'Identity provider')}); if it does, something between Okta and the app altered the sign-in.`,
  signature_missing: () => html`In Okta, ${ui('Show Advanced Settings')}: set ${ui('Assertion Signature')} to ${ui('Signed')}.`,
  weak_algorithm: () => html`In Okta, ${ui('Show Advanced Settings')}: set ${ui('Signature Algorithm')} to ${ui('RSA-SHA256')} and ${ui('Digest Algorithm')} to ${ui('SHA256')}.`,
  unsolicited_not_allowed: (c) =>
    html`The person started from the Okta dashboard. Turn on ${here(`${c.setupHref}#options`, 'sign-in from the IdP dashboard')} (and enter the ${ui('Default RelayState')} in Okta), or have people start from the app.`,
  in_response_to_mismatch: () =>
    html`The response answers a sign-in the app did not start, one already completed, or one older than 10 minutes (the Back button, two tabs). Have the person start again from the app.`,
  user_deactivated: () => html`The person is deactivated (unassigned or suspended in Okta). In Okta, assign them to the app again on the ${ui('Assignments')} tab.`,
  user_not_provisioned: (c) =>
    html`The organization lets in only people provisioned by SCIM. In Okta, assign the person to the app that provisions by SCIM (${ui('Assignments')} tab), or ${here(c.policyHref, 'change the sign-in policy')}.`,
  expired: () => html`Okta's clock and this server's differ by more than 3 minutes, or the browser posted an old response. Have the person sign in again; if it keeps happening, check the server's clock.`,
  replayed: () => html`This response was already used: the browser posted it twice (Back or Reload). Have the person start again from the app.`,
  status_not_success: () => html`Okta refused the sign-in itself (its reason is above): most often the person is not assigned to the app. Assign them on the ${ui('Assignments')} tab.`,
  subject_missing: () => html`In Okta, set ${ui('Name ID format')} to ${ui('EmailAddress')} and ${ui('Application username')} to ${ui('Email')}.`,
  encrypted_assertion_unsupported: () => html`In Okta, ${ui('Show Advanced Settings')}: set ${ui('Assertion Encryption')} to ${ui('Unencrypted')}.`,
  connection_inactive: (c) => html`This connection is switched off: set it to ${ui('Active')} in the ${here(`${c.setupHref}#options`, 'settings')}.`,
  redirect_not_registered: (c) => html`The app started this sign-in with a return address that is no longer registered: add it to the ${here(`${c.setupHref}#options`, 'redirect URLs')}.`,
  no_default_redirect: (c) =>
    html`Set a ${here(`${c.setupHref}#options`, 'default redirect URL')} (enter the same URL as ${ui('Default RelayState')} in Okta), or have people start from the app.`,
};
FIXES['destination_mismatch'] = FIXES['recipient_mismatch']!;
FIXES['not_yet_valid'] = FIXES['expired']!;

/** The fix of a failure code in Okta's terms, or null when there is none to give (malformed or hostile responses). */
export function fixFor(code: string, c: FixContext): Html | null {
  return FIXES[code]?.(c) ?? null;
}

// ---------------------------------------------------------------------------------------------
// The page

const FLOW_LABEL = { sp_initiated: 'SP-initiated', idp_initiated: 'IdP-initiated' } as const;
const FLOW_HINT = { sp_initiated: 'started in the app', idp_initiated: 'started from the IdP dashboard' } as const;

function attemptRows(page: PageContext, connection: SsoConnection, attempt: SsoAttempt, fix: FixContext): Html {
  const failed = attempt.outcome === 'failed';
  const main = html`<tr class="${failed ? 'log-row failed' : 'log-row'}" id="${attempt.id}">
<td>${time(attempt.at, page.now)}</td>
<td>${FLOW_LABEL[attempt.flow]}<div class="hint optional">${FLOW_HINT[attempt.flow]}</div></td>
<td>${failed ? badge('Failed', 'bad') : badge('Succeeded', 'ok')}</td>
<td class="mono">${attempt.subject ?? html`<span class="muted">unknown</span>`}</td>
<td>${attempt.userId ? html`<a class="mono" href="${userHref(page, connection, attempt.userId)}">${attempt.userId}</a>` : html`<span class="muted">none</span>`}</td>
<td class="mono"><span class="nowrap">${attempt.correlationId}</span></td>
<td class="mono optional">${attempt.clientIp ?? html`<span class="muted">unknown</span>`}</td>
</tr>`;
  if (!failed) return main;
  const howTo = attempt.failureCode ? fixFor(attempt.failureCode, fix) : null;
  const wantGot =
    attempt.want !== null || attempt.got !== null
      ? html`<table class="want-got"><caption class="sr-only">Expected and received for ${attempt.correlationId}</caption><tbody>
<tr><th scope="row">Expected</th><td><code>${attempt.want ?? '—'}</code></td></tr>
<tr><th scope="row">Received</th><td><code>${attempt.got ?? '—'}</code></td></tr>
</tbody></table>`
      : '';
  return html`${main}
<tr class="log-more failed"><td colspan="7"><div class="explain">
<p><strong>Reason:</strong> <code>${attempt.failureCode ?? 'unknown'}</code>${attempt.detail ? html` — <span>${attempt.detail}</span>` : ''}</p>
${wantGot}
${howTo ? html`<div class="fix"><strong>How to fix it:</strong> ${howTo}</div>` : ''}
</div></td></tr>`;
}

async function attemptsPage(page: PageContext): Promise<HttpResponse> {
  const connection = await connectionOf(page);
  const filters = readFilters(page.query);
  const found = await findAttempts(page, connection, filters);
  const base = connectionHref(page, connection.id, '/attempts');
  const sp = spValues(page.ctx, connection);
  const fix: FixContext = {
    spEntityId: sp.spEntityId,
    acsUrl: sp.acsUrl,
    fromUrl: connection.metadataSource === 'url',
    setupHref: connectionHref(page, connection.id),
    policyHref: `${ssoHref(page)}#policy`,
  };
  const filtered = filters.failuresOnly || filters.q !== '';
  const empty = filters.before
    ? html`<p>No older attempts${filtered ? ' match these filters' : ''}. <a href="${base}${filterQuery({ ...filters, before: '' })}">Back to the newest</a></p>`
    : filters.q
      ? html`<p>No sign-in attempt matches <strong>${filters.q}</strong>${filters.failuresOnly ? ' among the failures' : ''}. Attempts are kept for 30 days. <a href="${base}">Show every attempt</a></p>`
      : filtered
        ? html`<p>No failed sign-in. <a href="${base}">Show every attempt</a></p>`
        : html`<p>No one has signed in through this connection yet. When someone does (from the app, or from the Okta dashboard if that is allowed), the attempt appears here at once, with the exact reason if it failed.</p>`;

  return connectionPage(
    page,
    connection,
    'log',
    'Sign-in log',
    html`<form method="get" action="${base}" class="search" role="search" aria-label="Find sign-in attempts">
<div class="field"><label for="attempts-q">Reference or email</label><input type="search" id="attempts-q" name="q" value="${filters.q}" maxlength="${MAX_SEARCH}" placeholder="K7QM-2XPD-9HTA or ada@acme.com" spellcheck="false" autocomplete="off"></div>
<label class="check" for="attempts-failures"><input type="checkbox" id="attempts-failures" name="failures" value="1"${filters.failuresOnly ? html` checked` : ''}> Failures only</label>
<div class="field"><button type="submit">Filter</button></div>
${filtered ? html`<div class="field"><a href="${base}">Clear filters</a></div>` : ''}
</form>
<p class="hint">When a sign-in fails, the person sees a page with a reference such as <code>K7QM-2XPD-9HTA</code>: paste it above to find their attempt and the exact reason. Newest first, ${ATTEMPTS_PAGE_SIZE} to a page; attempts are kept for 30 days.</p>
${found.items.length === 0
  ? empty
  : html`<div class="table-wrap"><table class="log attempts"><caption class="sr-only">Sign-in attempts through ${connection.name}, newest first${filters.before ? ', older page' : ''}</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Flow</th><th scope="col">Outcome</th><th scope="col">Subject</th><th scope="col">User</th><th scope="col">Reference</th><th scope="col" class="optional">Client IP</th></tr></thead>
<tbody>${found.items.map((a) => attemptRows(page, connection, a, fix))}</tbody></table></div>
<nav class="pager" aria-label="Pages of the sign-in log">${filters.before ? html`<a href="${base}${filterQuery({ ...filters, before: '' })}">Newest</a>` : ''}${
      found.olderBefore
        ? html`<a href="${base}${filterQuery(filters, found.olderBefore)}" rel="next">Older</a>`
        : html`<span class="muted">No older attempts.</span>`
    }</nav>`}`,
  );
}

export const ssoAttemptsRoutes: PortalRoute[] = [{ method: 'GET', path: '/o/{org}/sso/{connection}/attempts', handle: (page) => attemptsPage(page) }];
