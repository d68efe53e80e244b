/**
 * Screen 4, groups: the directory's groups (searchable, 50 a page, member counts of a page in
 * one query) and one group's page: attributes, the roles it grants under the mapping rules, and
 * its members (keyset-paged, linking to their user pages). Every value is escaped by `html`.
 */
import { toDirectoryUser } from '../../app/directory/normalized.js';
import { groupRoles, settingsOf } from '../../app/rules/roles.js';
import { roleRulesOn } from '../../domain/directory-settings.js';
import type { Directory } from '../../domain/model.js';
import type { HttpResponse } from '../../http/types.js';
import type { Filter } from '../../scim/types.js';
import { badge, time } from '../components.js';
import { directoryHref, directoryPage } from '../directory-frame.js';
import { providerName } from '../health.js';
import { html, type HtmlValue } from '../html.js';
import { scope, type PageContext, type PortalRoute } from '../page-context.js';
import { PAGE_SIZE, groupHref, listHref, nameOf, pageNumber, pager, searchForm, searchText, stateBadge, userHref } from './users.js';

export function groupSearchFilter(q: string): Filter {
  return { op: 'co', path: { attr: 'displayName' }, value: q };
}

function noGroupsYet(directory: Directory): string {
  switch (directory.provider) {
    case 'okta':
      return 'No groups yet: push groups from Okta (Push Groups tab of the app) and they appear here with their members within seconds.';
    case 'entra':
      return 'No groups yet: assign groups to the enterprise application in Microsoft Entra ID (Users and groups); they arrive with their members in the next provisioning cycle.';
    default:
      return 'No groups yet: they appear here as soon as your identity provider sends them.';
  }
}

async function groupsList(page: PageContext): Promise<HttpResponse> {
  const { directory } = scope(page);
  const { ctx } = page;
  const q = searchText(page);
  const pageNo = pageNumber(page);
  const result = await ctx.store.groups.list(directory.id, q ? groupSearchFilter(q) : undefined, { offset: (pageNo - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  // Member counts of the whole page in one query.
  const counts = result.items.length ? await ctx.store.directoryRead.memberCounts(directory.id, result.items.map((g) => g.id)) : new Map<string, number>();
  const withRoles = roleRulesOn(settingsOf(directory));
  const base = directoryHref(page, 'groups');
  const noun = result.total === 1 ? 'group' : 'groups';
  let body: HtmlValue;
  if (result.total === 0 && !q) {
    body = html`<div class="panel empty"><p>${noGroupsYet(directory)}</p><p class="hint">Users do not need groups to be provisioned; groups matter when the app gives roles or access by group (see the <a href="${directoryHref(page, 'mapping')}">Mapping</a> tab).</p></div>`;
  } else if (result.total === 0) {
    body = html`<p class="empty">No group name contains “${q}”.</p>`;
  } else if (result.items.length === 0) {
    body = html`<p class="empty">There is nothing on page ${pageNo}. <a href="${listHref(base, q, 1)}">Back to the first page</a></p>`;
  } else {
    body = html`<div class="table-wrap"><table class="groups"><caption class="sr-only">Groups${q ? html` matching “${q}”` : ''}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Members</th>${withRoles ? html`<th scope="col">Roles it grants</th>` : ''}<th scope="col" class="optional">externalId</th><th scope="col" class="optional">Updated</th></tr></thead>
<tbody>${result.items.map((g) => {
      const roles = withRoles ? groupRoles(directory, g.displayName) : [];
      return html`<tr><td><a href="${groupHref(page, g.id)}">${g.displayName}</a></td><td class="num">${counts.get(g.id) ?? 0}</td>${
        withRoles ? html`<td>${roles.length ? roles.join(', ') : html`<span class="muted">none</span>`}</td>` : ''
      }<td class="optional mono">${g.externalId ?? ''}</td><td class="optional">${time(g.updatedAt, page.now)}</td></tr>`;
    })}</tbody></table></div>`;
  }
  return directoryPage(
    page,
    'groups',
    'Groups',
    html`<h2>Groups</h2>
${searchForm(base, q, 'Search groups', 'part of a group name')}
${result.total > 0 ? pager(base, q, pageNo, result.items.length, result.total, noun) : ''}
${body}
${result.items.length > 0 && result.total > PAGE_SIZE ? pager(base, q, pageNo, result.items.length, result.total, noun) : ''}`,
  );
}

/** Why the group grants its roles, in words. */
function rolesExplained(page: PageContext, directory: Directory, displayName: string): HtmlValue {
  const settings = settingsOf(directory);
  const mappingHref = directoryHref(page, 'mapping');
  if (!roleRulesOn(settings)) {
    return html`<p class="muted">No role rules are set for this directory, so groups grant no roles. Rules are set on the <a href="${mappingHref}">Mapping</a> tab.</p>`;
  }
  const roles = groupRoles(directory, displayName);
  if (roles.length === 0) {
    return html`<p class="muted">This group grants no role under the rules on the <a href="${mappingHref}">Mapping</a> tab.</p>`;
  }
  const lower = displayName.toLowerCase();
  const reasons: HtmlValue[] = [];
  const prefix = settings.roles.prefix;
  if (prefix && lower.startsWith(prefix.toLowerCase()) && lower.length > prefix.length) {
    reasons.push(html`<li>its name starts with <span class="mono">${prefix}</span>, so it grants the rest of its name as a role</li>`);
  }
  for (const m of settings.roles.mappings) {
    if (m.group.toLowerCase() === lower) reasons.push(html`<li>a mapping gives its members the role <strong>${m.role}</strong></li>`);
  }
  return html`<p>Every member has ${roles.length === 1 ? 'the role' : 'the roles'} ${roles.map((r, i) => html`${i > 0 ? ' ' : ''}${badge(r, 'ok')}`)}</p>
<ul class="hint">${reasons}</ul>
<p class="hint">Rules are set on the <a href="${mappingHref}">Mapping</a> tab.</p>`;
}

async function groupPage(page: PageContext): Promise<HttpResponse> {
  const { directory } = scope(page);
  const { ctx } = page;
  const groupId = page.params['group']!;
  const group = await ctx.store.groups.findById(directory.id, groupId);
  if (!group) {
    return directoryPage(
      page,
      'groups',
      'Group not found',
      html`<h2>Group not found</h2><p>There is no group with the id <span class="mono">${groupId}</span> in this directory. ${providerName(directory.provider)} may have deleted it, it may belong to another connection, or the link is mistyped.</p><p><a href="${directoryHref(page, 'groups')}">Back to all groups</a></p>`,
      { status: 404 },
    );
  }
  const after = (page.query.get('after') ?? '').slice(0, 200) || undefined;
  const [counts, rows] = await Promise.all([
    ctx.store.directoryRead.memberCounts(directory.id, [group.id]),
    ctx.store.directoryRead.listUsers(directory.id, { groupId: group.id, afterId: after, limit: PAGE_SIZE + 1 }),
  ]);
  const memberCount = counts.get(group.id) ?? 0;
  const members = rows.slice(0, PAGE_SIZE).map((u) => toDirectoryUser(u, { organizationId: directory.organizationId, groups: [], roles: [], managerUserId: null }));
  const nextHref = rows.length > PAGE_SIZE ? `${groupHref(page, group.id)}?after=${encodeURIComponent(members.at(-1)!.id)}#members` : undefined;
  const idp = providerName(directory.provider);
  return directoryPage(
    page,
    'groups',
    group.displayName,
    html`<p><a href="${directoryHref(page, 'groups')}">← All groups</a></p>
<h2>${group.displayName}</h2>
<div class="grid">
<section class="panel" aria-labelledby="gattrs-h">
<h3 id="gattrs-h">Attributes</h3>
<dl class="kv">
<dt>Name</dt><dd>${group.displayName}</dd>
<dt>Members</dt><dd>${memberCount}</dd>
<dt>externalId</dt><dd>${group.externalId ? html`<span class="mono">${group.externalId}</span>` : html`<span class="muted">not set</span>`}</dd>
<dt>Our id</dt><dd class="mono">${group.id}</dd>
<dt>Created</dt><dd>${time(group.createdAt, page.now)}</dd>
<dt>Updated</dt><dd>${time(group.updatedAt, page.now)}</dd>
</dl>
<p class="hint"><a href="${directoryHref(page, 'log')}?q=${encodeURIComponent(group.id)}">Requests naming this group</a> in the request log.</p>
</section>
<section class="panel" aria-labelledby="groles-h">
<h3 id="groles-h">Roles it grants</h3>
${rolesExplained(page, directory, group.displayName)}
</section>
</div>
<h3 id="members">Members</h3>
${memberCount === 0 && !after
  ? html`<p class="muted">No members. ${idp === 'Okta' ? 'In Okta, members of a pushed group are sent when they are assigned to the app too.' : `${idp} sends members with the group.`}</p>`
  : members.length === 0
    ? html`<p class="muted">No more members. <a href="${groupHref(page, group.id)}#members">Back to the first members</a></p>`
    : html`<div class="table-wrap"><table><caption class="sr-only">Members of ${group.displayName}</caption><thead><tr><th scope="col">Name</th><th scope="col">userName</th><th scope="col" class="optional">Primary email</th><th scope="col">State</th></tr></thead><tbody>${members.map(
        (u) => html`<tr><td><a href="${userHref(page, u.id)}">${nameOf(u)}</a></td><td class="mono">${u.userName}</td><td class="optional">${u.email ?? ''}</td><td>${stateBadge(u.state)}</td></tr>`,
      )}</tbody></table></div>
<nav class="pager" aria-label="Member pages">${after ? html`<a href="${groupHref(page, group.id)}#members">First members</a>` : ''}${nextHref ? html`<a href="${nextHref}" rel="next">Next members</a>` : ''}</nav>`}
<details class="raw"><summary>SCIM resource as ${idp} sent it</summary><pre>${JSON.stringify(group.resource, null, 2)}</pre></details>`,
  );
}

export const groupsRoutes: PortalRoute[] = [
  { method: 'GET', path: '/o/{org}/d/{dir}/groups', handle: (page) => groupsList(page) },
  { method: 'GET', path: '/o/{org}/d/{dir}/groups/{group}', handle: (page) => groupPage(page) },
];
