/**
 * Screen 4, users: the directory's users as they arrive from the IdP (searchable, 50 a page,
 * groups and roles of a page in one query each) and one user's page: the normalized attributes,
 * the raw SCIM resource, groups, roles and the history of changes with the request behind each.
 * Every attribute is IdP-controlled: everything is rendered through `html` (escaped).
 */
import { usersView } from '../../app/directory/read-users.js';
import { toDirectoryUser } from '../../app/directory/normalized.js';
import { settingsOf } from '../../app/rules/roles.js';
import type { DirectoryUser } from '../../domain/directory-view.js';
import { roleRulesOn } from '../../domain/directory-settings.js';
import type { JsonValue } from '../../domain/json.js';
import type { Directory } from '../../domain/model.js';
import type { HttpResponse } from '../../http/types.js';
import type { Filter } from '../../scim/types.js';
import { badge, notice, time } from '../components.js';
import { directoryHref, directoryPage } from '../directory-frame.js';
import { providerName } from '../health.js';
import { html, type Html, type HtmlValue } from '../html.js';
import { scope, type PageContext, type PortalRoute } from '../page-context.js';
import { historyTable } from '../user-history.js';

export const PAGE_SIZE = 50;
const MAX_QUERY_LENGTH = 200;
const HISTORY_LIMIT = 50;

/** The search text of a list page (trimmed, bounded). */
export function searchText(page: PageContext): string {
  return (page.query.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
}

/** The 1-based page number asked for (1 when absent or not a number). */
export function pageNumber(page: PageContext): number {
  const n = Number.parseInt(page.query.get('page') ?? '1', 10);
  return Number.isFinite(n) && n >= 1 ? Math.min(n, 1_000_000) : 1;
}

/** `userName co q or displayName co q or emails.value co q or externalId eq q` (case-insensitive but for externalId). */
export function userSearchFilter(q: string): Filter {
  const co = (attr: string, sub?: string): Filter => ({ op: 'co', path: sub ? { attr, sub } : { attr }, value: q });
  return {
    op: 'or',
    left: { op: 'or', left: co('userName'), right: co('displayName') },
    right: { op: 'or', left: co('emails', 'value'), right: { op: 'eq', path: { attr: 'externalId' }, value: q } },
  };
}

/** A list URL with its search and page kept. */
export function listHref(base: string, q: string, pageNo: number): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (pageNo > 1) params.set('page', String(pageNo));
  const query = params.toString();
  return query ? `${base}?${query}` : base;
}

/** The search form of a list (a GET form: no anti-forgery token needed). */
export function searchForm(action: string, q: string, label: string, placeholder: string): Html {
  return html`<form method="get" action="${action}" class="search" role="search">
<div class="field"><label for="q">${label}</label><input id="q" type="search" name="q" value="${q}" placeholder="${placeholder}" maxlength="${MAX_QUERY_LENGTH}"></div>
<button type="submit">Search</button>${q ? html` <a href="${action}">Clear search</a>` : ''}
</form>`;
}

/** "Showing 51–100 of 120" with Previous / Next links that keep the search. */
export function pager(base: string, q: string, pageNo: number, shown: number, total: number, noun: string): Html {
  const first = (pageNo - 1) * PAGE_SIZE + 1;
  const last = (pageNo - 1) * PAGE_SIZE + shown;
  const hasNext = pageNo * PAGE_SIZE < total;
  const summary = shown > 0 ? html`Showing ${first}–${last} of ${total} ${noun}` : html`${total} ${noun}`;
  return html`<nav class="pager" aria-label="Pages"><span>${summary}</span>${
    pageNo > 1 ? html`<a href="${listHref(base, q, pageNo - 1)}" rel="prev">Previous</a>` : ''
  }${hasNext ? html`<a href="${listHref(base, q, pageNo + 1)}" rel="next">Next</a>` : ''}</nav>`;
}

/** What to call a user: display name, else first and last name, else userName. */
export function nameOf(user: Pick<DirectoryUser, 'displayName' | 'firstName' | 'lastName' | 'userName'>): string {
  const full = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return user.displayName || full || user.userName;
}

export function stateBadge(state: DirectoryUser['state']): Html {
  return state === 'active' ? badge('Active', 'ok') : state === 'inactive' ? badge('Deactivated', 'warn') : badge('Deleted', 'muted');
}

export function userHref(page: PageContext, userId: string): string {
  return `${directoryHref(page, 'users')}/${encodeURIComponent(userId)}`;
}

export function groupHref(page: PageContext, groupId: string): string {
  return `${directoryHref(page, 'groups')}/${encodeURIComponent(groupId)}`;
}

function noUsersYet(directory: Directory): string {
  switch (directory.provider) {
    case 'okta':
      return 'No users yet: assign people to the app in Okta (Assignments tab) and they appear here within seconds.';
    case 'entra':
      return 'No users yet: add people or groups to the enterprise application in Microsoft Entra ID (Users and groups) and start provisioning. Entra ID sends changes about every 40 minutes; "Provision on demand" sends one user at once.';
    default:
      return 'No users yet: they appear here as soon as your identity provider sends them to the SCIM base URL on the Credentials tab.';
  }
}

async function usersList(page: PageContext): Promise<HttpResponse> {
  const { directory } = scope(page);
  const { ctx } = page;
  const q = searchText(page);
  const pageNo = pageNumber(page);
  const result = await ctx.store.users.list(directory.id, q ? userSearchFilter(q) : undefined, { offset: (pageNo - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  const ids = result.items.map((u) => u.id);
  const withRoles = roleRulesOn(settingsOf(directory));
  // One query per relation for the whole page, never one per row.
  const [groups, roles] = await Promise.all([
    ids.length ? ctx.store.memberships.groupsOf(directory.id, ids) : new Map<string, { id: string; displayName: string }[]>(),
    ids.length && withRoles ? ctx.store.roles.rolesOf(directory.id, ids) : new Map<string, string[]>(),
  ]);
  const users = result.items.map((u) =>
    toDirectoryUser(u, { organizationId: directory.organizationId, groups: groups.get(u.id) ?? [], roles: roles.get(u.id) ?? [], managerUserId: null }),
  );
  const base = directoryHref(page, 'users');
  let body: HtmlValue;
  if (result.total === 0 && !q) {
    body = html`<div class="panel empty"><p>${noUsersYet(directory)}</p><p class="hint">Nothing arriving? The <a href="${directoryHref(page, 'log')}">request log</a> shows every request ${providerName(directory.provider)} sends, and the <a href="${directoryHref(page, 'setup')}">setup steps</a> what to check.</p></div>`;
  } else if (result.total === 0) {
    body = html`<p class="empty">No user matches “${q}”. The search looks in userName, display name and email (parts of them, any case) and the externalId (exact).</p>`;
  } else if (users.length === 0) {
    body = html`<p class="empty">There is nothing on page ${pageNo}. <a href="${listHref(base, q, 1)}">Back to the first page</a></p>`;
  } else {
    body = html`<div class="table-wrap"><table class="users"><caption class="sr-only">Users${q ? html` matching “${q}”` : ''}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">userName</th><th scope="col" class="optional">Primary email</th><th scope="col">State</th><th scope="col" class="optional">Groups</th>${
      withRoles ? html`<th scope="col" class="optional">Roles</th>` : ''
    }<th scope="col" class="optional">Updated</th></tr></thead>
<tbody>${users.map(
      (u) => html`<tr><td><a href="${userHref(page, u.id)}">${nameOf(u)}</a></td><td class="mono">${u.userName}</td><td class="optional">${u.email ?? html`<span class="muted">none</span>`}</td><td>${stateBadge(u.state)}</td><td class="num optional" title="${u.groups.map((g) => g.name).join(', ')}">${u.groups.length}</td>${
        withRoles ? html`<td class="optional">${u.roles.length ? u.roles.join(', ') : html`<span class="muted">none</span>`}</td>` : ''
      }<td class="optional">${time(u.updatedAt, page.now)}</td></tr>`,
    )}</tbody></table></div>`;
  }
  return directoryPage(
    page,
    'users',
    'Users',
    html`<h2>Users</h2>
${searchForm(base, q, 'Search users', 'name, userName, email or externalId')}
${result.total > 0 ? pager(base, q, pageNo, users.length, result.total, result.total === 1 ? 'user' : 'users') : ''}
${body}
${users.length > 0 && result.total > PAGE_SIZE ? pager(base, q, pageNo, users.length, result.total, result.total === 1 ? 'user' : 'users') : ''}`,
  );
}

/** A row of the attribute list; absent values say so. */
function kv(label: string, value: HtmlValue): Html {
  const empty = value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  return html`<dt>${label}</dt><dd>${empty ? html`<span class="muted">not set</span>` : value}</dd>`;
}

/** The primary phone number (else the first) of the raw resource, with its type. */
function phoneOf(raw: DirectoryUser['raw']): string | null {
  const phones = raw['phoneNumbers'];
  if (!Array.isArray(phones)) return null;
  const objects = phones.filter((p): p is { [key: string]: JsonValue } => typeof p === 'object' && p !== null && !Array.isArray(p) && typeof p['value'] === 'string');
  const phone = objects.find((p) => p['primary'] === true) ?? objects[0];
  if (!phone) return null;
  return typeof phone['type'] === 'string' && phone['type'] ? `${String(phone['value'])} (${phone['type']})` : String(phone['value']);
}

async function userPage(page: PageContext): Promise<HttpResponse> {
  const { directory } = scope(page);
  const { ctx } = page;
  const userId = page.params['user']!;
  // Deleted users too: their history stays readable. Scoped to this directory: another
  // directory's id is not found here.
  const stored = await ctx.store.directoryRead.findUser(directory.id, userId);
  if (!stored) {
    return directoryPage(
      page,
      'users',
      'User not found',
      html`<h2>User not found</h2><p>There is no user with the id <span class="mono">${userId}</span> in this directory. It may belong to another connection, or the link is mistyped.</p><p><a href="${directoryHref(page, 'users')}">Back to all users</a></p>`,
      { status: 404 },
    );
  }
  const beforeSeq = Number.parseInt(page.query.get('before') ?? '', 10);
  // The request log is buffered: write what is pending so each change names its request.
  await page.options.flushRequestLog();
  const [[user], history] = await Promise.all([
    usersView(ctx, directory, [stored]),
    ctx.store.events.historyOfUser(directory.id, stored.id, { limit: HISTORY_LIMIT, ...(Number.isFinite(beforeSeq) && beforeSeq > 0 ? { beforeSeq } : {}) }),
  ]);
  const u = user!;
  const idp = providerName(directory.provider);
  const logHref = `${directoryHref(page, 'log')}?q=${encodeURIComponent(u.id)}`;
  const links = { group: (id: string) => groupHref(page, id), log: logHref };
  const name = nameOf(u);
  const fullName = [u.firstName, u.lastName].filter(Boolean).join(' ');
  const manager = u.manager
    ? u.manager.id
      ? html`<a href="${userHref(page, u.manager.id)}">${u.manager.displayName ?? u.manager.value ?? u.manager.id}</a>`
      : html`${u.manager.displayName ?? u.manager.value}${u.manager.value ? html` <span class="hint">(${u.manager.value}: not a user of this directory)</span>` : ''}`
    : null;
  const customAttributes = Object.keys(u.customAttributes).length ? html`<pre>${JSON.stringify(u.customAttributes, null, 2)}</pre>` : null;
  const olderHref = history.length === HISTORY_LIMIT ? `${userHref(page, u.id)}?before=${history.at(-1)!.event.sequence}#history` : undefined;
  return directoryPage(
    page,
    'users',
    name,
    html`<p><a href="${directoryHref(page, 'users')}">← All users</a></p>
<h2>${name} ${stateBadge(u.state)}</h2>
${u.state === 'deleted' && stored.deletedAt
  ? notice('info', html`<p>${idp} deleted this user ${time(stored.deletedAt, page.now)}. It is kept here so its history stays readable; the host app no longer sees it as a member of anything.</p>`)
  : u.state === 'inactive'
    ? notice('info', html`<p>${idp} deactivated this user (unassigned from the app, or suspended). The account still exists: re-assigning it in ${idp} reactivates it.</p>`)
    : ''}
<div class="grid">
<section class="panel" aria-labelledby="attrs-h">
<h3 id="attrs-h">Attributes</h3>
<dl class="kv">
${kv('Name', fullName)}
${kv('Display name', u.displayName)}
${kv('userName', html`<span class="mono">${u.userName}</span>`)}
${kv('Emails', u.emails.length ? html`${u.emails.map((e, i) => html`${i > 0 ? html`<br>` : ''}${e.value}${e.type ? html` <span class="hint">${e.type}</span>` : ''}${e.primary ? html` ${badge('primary', 'muted')}` : ''}`)}` : null)}
${kv('Phone', phoneOf(u.raw))}
${kv('Title', u.title)}
${kv('Department', u.department)}
${kv('Manager', manager)}
${kv('Employee number', u.employeeNumber)}
${u.costCenter ? kv('Cost center', u.costCenter) : ''}
${u.organization ? kv('Organization', u.organization) : ''}
${u.division ? kv('Division', u.division) : ''}
${kv('Active', u.state === 'deleted' ? 'no (deleted)' : u.state === 'active' ? 'yes' : 'no')}
${kv('externalId', u.idpId ? html`<span class="mono">${u.idpId}</span>` : null)}
${kv('Our id', html`<span class="mono">${u.id}</span>`)}
${kv('Source', u.source === 'saml_jit' ? 'SAML sign-in (just-in-time)' : `SCIM from ${idp}`)}
${kv('Created', time(u.createdAt, page.now))}
${kv('Updated', time(u.updatedAt, page.now))}
${customAttributes ? kv('Custom attributes', customAttributes) : ''}
</dl>
</section>
<section class="panel" aria-labelledby="access-h">
<h3 id="access-h">Groups</h3>
${u.groups.length
  ? html`<ul class="plain">${u.groups.map((g) => html`<li><a href="${groupHref(page, g.id)}">${g.name}</a></li>`)}</ul>`
  : html`<p class="muted">${u.state === 'deleted' ? 'None: a deleted user leaves every group.' : `In no group. Groups ${idp} pushes list their members here.`}</p>`}
<h3>Roles</h3>
${u.roles.length
  ? html`<p>${u.roles.map((r) => html`${badge(r, 'ok')} `)}</p>`
  : html`<p class="muted">No role. ${roleRulesOn(settingsOf(directory)) ? 'Roles come from groups under the rules on the ' : 'No group grants roles yet: set rules on the '}<a href="${directoryHref(page, 'mapping')}">Mapping</a> tab.</p>`}
</section>
</div>
<h3 id="history">History</h3>
<p class="hint">Newest first; each change names the SCIM request that caused it. <a href="${logHref}">All requests naming this user</a></p>
${historyTable(history, links, page.now)}
${olderHref ? html`<p><a href="${olderHref}">Older entries</a></p>` : ''}
${Number.isFinite(beforeSeq) && beforeSeq > 0 ? html`<p><a href="${userHref(page, u.id)}#history">Newest entries</a></p>` : ''}
<details class="raw"><summary>SCIM resource as ${idp} sent it</summary><pre>${JSON.stringify(u.raw, null, 2)}</pre></details>`,
  );
}

export const usersRoutes: PortalRoute[] = [
  { method: 'GET', path: '/o/{org}/d/{dir}/users', handle: (page) => usersList(page) },
  { method: 'GET', path: '/o/{org}/d/{dir}/users/{user}', handle: (page) => userPage(page) },
];
