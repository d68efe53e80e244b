/**
 * The developer console's home: every organization with its directory connections (provider,
 * status, users, health in words), a link to each organization's page (where setup links are
 * created), and the form that creates an organization. Console sessions only.
 */
import { createOrganization } from '../../app/admin/create-organization.js';
import type { Directory, Organization } from '../../domain/model.js';
import { isServiceError } from '../../domain/errors.js';
import type { HttpResponse } from '../../http/types.js';
import { badge, notice, postForm } from '../components.js';
import { statusBadge } from '../directory-frame.js';
import { describeHealth, providerName } from '../health.js';
import { html, type Html, type HtmlValue } from '../html.js';
import type { PageContext, PortalRoute } from '../page-context.js';

/** The console's own sections, shown under the heading of each console page. */
export function consoleNav(page: PageContext, current: 'organizations' | 'webhooks'): Html {
  const items = [
    { id: 'organizations', href: page.paths.console(), label: 'Organizations' },
    { id: 'webhooks', href: page.paths.console('/webhooks'), label: 'Webhooks' },
  ] as const;
  return html`<nav class="tabs" aria-label="Console sections">${items.map(
    (i) => html`<a href="${i.href}"${i.id === current ? html` aria-current="page"` : ''}>${i.label}</a>`,
  )}</nav>`;
}

async function directoryRows(page: PageContext, organization: Organization, directories: Directory[], since: string): Promise<Html[]> {
  const { ctx, paths } = page;
  return Promise.all(
    directories.map(async (d) => {
      const [summary, users] = await Promise.all([ctx.store.requestLog.summary(d.id, since), ctx.store.users.list(d.id, undefined, { offset: 0, limit: 0 })]);
      const health = describeHealth(d, summary, page.now);
      return html`<tr><td><a href="${paths.dir(organization.id, d.id)}">${d.name}</a></td><td>${providerName(d.provider)}</td><td>${statusBadge(d)}</td><td class="num">${users.total}</td><td>${badge(health.headline, health.tone)}<div class="hint optional">${health.detail}</div></td></tr>`;
    }),
  );
}

const ORGANIZATIONS_PER_PAGE = 25;

async function consoleHome(page: PageContext, options: { banner?: HtmlValue; name?: string; status?: number } = {}): Promise<HttpResponse> {
  const { ctx, paths } = page;
  await page.options.flushRequestLog();
  const since = new Date(page.now.getTime() - 3_600_000).toISOString();
  const organizations = await ctx.store.organizations.list();
  // Each card costs a few queries per directory: a page shows a bounded number of organizations.
  const pages = Math.max(1, Math.ceil(organizations.length / ORGANIZATIONS_PER_PAGE));
  const pageNumber = Math.min(pages, Math.max(1, Number.parseInt(page.query.get('page') ?? '1', 10) || 1));
  const shown = organizations.slice((pageNumber - 1) * ORGANIZATIONS_PER_PAGE, pageNumber * ORGANIZATIONS_PER_PAGE);
  const pager =
    pages > 1
      ? html`<nav class="pager" aria-label="Pages of organizations">${pageNumber > 1 ? html`<a href="${paths.console()}?page=${pageNumber - 1}" rel="prev">Previous</a>` : ''}<span>Page ${pageNumber} of ${pages}</span>${pageNumber < pages ? html`<a href="${paths.console()}?page=${pageNumber + 1}" rel="next">Next</a>` : ''}</nav>`
      : '';
  const sections = await Promise.all(
    shown.map(async (org, i) => {
      const [directories, connections] = await Promise.all([ctx.store.directories.listByOrganization(org.id), ctx.store.sso.listConnections(org.id)]);
      const headingId = `org-${i}`;
      return html`<section class="panel org-card" aria-labelledby="${headingId}">
<h3 id="${headingId}"><a href="${paths.org(org.id)}">${org.name}</a> <span class="hint mono">${org.id}</span></h3>
${directories.length === 0
  ? html`<p class="muted">No identity provider connected yet. <a href="${paths.org(org.id)}">Open the organization</a> to create a setup link for its IT administrator, or connect one yourself.</p>`
  : html`<div class="table-wrap"><table><thead><tr><th scope="col">Connection</th><th scope="col">Provider</th><th scope="col">Status</th><th scope="col">Users</th><th scope="col">Health</th></tr></thead><tbody>${await directoryRows(page, org, directories, since)}</tbody></table></div>`}
<p class="hint">Single sign-on: ${connections.length === 0
  ? html`no SAML connection. `
  : html`${connections.map((c, n) => html`${n > 0 ? ', ' : ''}<a href="${paths.org(org.id, `/sso/${encodeURIComponent(c.id)}`)}">${c.name}</a> (${c.status === 'active' ? 'active' : 'inactive'})`)}. `}<a href="${paths.org(org.id, '/sso')}">Manage</a></p>
</section>`;
    }),
  );
  return page.page(
    'Console',
    html`<h1>Console</h1>
${consoleNav(page, 'organizations')}
${options.banner ?? ''}
<h2>Organizations</h2>
${organizations.length === 0
  ? html`<p>No organization yet. Create one for each of your customers below; then send its IT administrator a setup link from the organization's page.</p>`
  : html`<p class="hint">${organizations.length} ${organizations.length === 1 ? 'organization' : 'organizations'}. Open one to see its connections in detail or to create a setup link for its IT administrator.</p>${sections}${pager}`}
<section class="panel" aria-labelledby="create-org-h">
<h2 id="create-org-h">Create an organization</h2>
${postForm(
  paths.console('/organizations'),
  page.viewer.csrfToken,
  html`<label for="org-name">Name <span class="hint">(your customer's company name, 1 to 200 characters)</span></label>
<input id="org-name" name="name" type="text" required maxlength="200" autocomplete="organization" value="${options.name ?? ''}">
<div class="actions"><button type="submit">Create organization</button></div>`,
)}
</section>`,
    { status: options.status },
  );
}

export const consoleRoutes: PortalRoute[] = [
  { method: 'GET', path: '/console', consoleOnly: true, handle: (page) => consoleHome(page) },
  {
    method: 'POST',
    path: '/console/organizations',
    consoleOnly: true,
    async handle(page) {
      const name = page.form.get('name') ?? '';
      try {
        const organization = await createOrganization(page.ctx, { name });
        return page.redirect(`${page.paths.org(organization.id)}?done=created`);
      } catch (error) {
        if (!isServiceError(error) || error.code !== 'invalid_value') throw error;
        return consoleHome(page, { banner: notice('error', html`<p>The organization was not created: ${error.detail}.</p>`), name, status: 400 });
      }
    },
  },
];
