/**
 * An organization's home: its directory connections with their health, the provider picker
 * that starts a new connection, its single sign-on (SAML) connections, and (console only) the
 * setup links sent to its IT administrator.
 */
import { createDirectoryWithoutToken } from '../../app/admin/create-directory.js';
import { listSsoConnections } from '../../app/sso/connections.js';
import { issuePortalLink } from '../../app/portal/portal-links.js';
import { PROVIDERS, type Provider } from '../../domain/model.js';
import { ServiceError } from '../../domain/errors.js';
import { badge, copyField, notice, time } from '../components.js';
import { statusBadge } from '../directory-frame.js';
import { describeHealth, providerName } from '../health.js';
import { html, type HtmlValue } from '../html.js';
import { orgScope, type PageContext, type PortalRoute } from '../page-context.js';

const PROVIDER_CHOICES: { id: Provider; name: string; text: string }[] = [
  { id: 'okta', name: 'Okta', text: 'Provision from Okta with its SCIM 2.0 app integration.' },
  { id: 'entra', name: 'Microsoft Entra ID', text: 'Provision from Entra ID (Azure AD) enterprise applications.' },
  { id: 'generic', name: 'Other SCIM 2.0', text: 'OneLogin, JumpCloud, Ping, Google via a SCIM bridge, or your own client.' },
];

async function organizationHome(page: PageContext, extra: HtmlValue = ''): Promise<ReturnType<PageContext['page']>> {
  const organization = orgScope(page);
  const { ctx, paths } = page;
  await page.options.flushRequestLog();
  const hourAgo = new Date(page.now.getTime() - 3_600_000).toISOString();
  const directories = await ctx.store.directories.listByOrganization(organization.id);
  const rows = await Promise.all(
    directories.map(async (d) => {
      const [summary, users, groups] = await Promise.all([
        ctx.store.requestLog.summary(d.id, hourAgo),
        ctx.store.users.list(d.id, undefined, { offset: 0, limit: 0 }),
        ctx.store.groups.list(d.id, undefined, { offset: 0, limit: 0 }),
      ]);
      const health = describeHealth(d, summary, page.now);
      return html`<tr><td><a href="${paths.dir(organization.id, d.id)}">${d.name}</a></td><td>${providerName(d.provider)}</td><td>${statusBadge(d)}</td><td>${badge(health.headline, health.tone)}<div class="hint">${health.detail}</div></td><td class="num">${users.total}</td><td class="num optional">${groups.total}</td></tr>`;
    }),
  );
  const links = page.viewer.isConsole ? await ctx.store.portal.listLinks(organization.id) : [];
  const ssoConnections = await listSsoConnections(ctx, { organizationId: organization.id });
  const sso = (sub = '') => paths.org(organization.id, `/sso${sub}`);
  return page.page(
    organization.name,
    html`<h1>${organization.name}</h1>
${extra}
<h2>Directory sync</h2>
${directories.length === 0
  ? html`<p>No identity provider is connected yet. Choose yours to start: the setup takes about ten minutes.</p>`
  : html`<div class="table-wrap"><table><caption class="sr-only">Connections</caption><thead><tr><th scope="col">Connection</th><th scope="col">Provider</th><th scope="col">Status</th><th scope="col">Health</th><th scope="col">Users</th><th scope="col" class="optional">Groups</th></tr></thead><tbody>${rows}</tbody></table></div>`}
<div class="panel">
<form method="post" action="${paths.org(organization.id, '/directories')}">
<input type="hidden" name="_csrf" value="${page.viewer.csrfToken}">
<fieldset class="providers"><legend>${directories.length === 0 ? 'Which identity provider do you use?' : 'Connect another identity provider'}</legend>
${PROVIDER_CHOICES.map(
  (p, i) => html`<label class="provider"><input type="radio" name="provider" value="${p.id}"${i === 0 ? html` checked` : ''}><span><strong>${p.name}</strong><span class="hint">${p.text}</span></span></label>`,
)}
</fieldset>
<button type="submit">Configure</button>
</form>
</div>
<h2>Single sign-on</h2>
${ssoConnections.length === 0
  ? html`<p>No SAML connection yet: people cannot sign in with their identity provider. <a href="${sso('#add')}">Add a SAML connection</a></p>`
  : html`<ul class="plain">${ssoConnections.map(
      (c) => html`<li><a href="${sso(`/${encodeURIComponent(c.id)}`)}">${c.name}</a> ${c.status === 'active' ? badge('Active', 'ok') : badge('Inactive', 'muted')} <span class="hint mono">${c.idpEntityId}</span></li>`,
    )}</ul>
<p><a href="${sso()}">Single sign-on settings</a> · <a href="${sso('#add')}">Add a SAML connection</a></p>`}
${page.viewer.isConsole ? setupLinks(page, links) : ''}`,
    { crumbs: page.viewer.isConsole ? [{ href: paths.console(), label: 'Console' }] : [] },
  );
}

function setupLinks(page: PageContext, links: Awaited<ReturnType<PageContext['ctx']['store']['portal']['listLinks']>>): HtmlValue {
  const organization = orgScope(page);
  const state = (l: (typeof links)[number]) =>
    l.usedAt ? badge(`used`, 'muted') : l.expiresAt <= page.now.toISOString() ? badge('expired', 'muted') : badge('waiting', 'warn');
  return html`<h2>Setup links</h2>
<p>Send a setup link to ${organization.name}'s IT administrator: it opens these screens for this organization only, works once, and expires after 24 hours.</p>
<form method="post" action="${page.paths.org(organization.id, '/links')}" class="actions"><input type="hidden" name="_csrf" value="${page.viewer.csrfToken}"><button type="submit">Create setup link</button></form>
${links.length
  ? html`<div class="table-wrap"><table><thead><tr><th scope="col">Link</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">State</th></tr></thead><tbody>${links.map(
      (l) => html`<tr><td class="mono">${l.id}</td><td>${time(l.createdAt, page.now)}</td><td>${time(l.expiresAt, page.now)}</td><td>${state(l)}${l.usedAt ? html` <span class="hint">opened ${time(l.usedAt, page.now)}${l.usedIp ? ` from ${l.usedIp}` : ''}</span>` : ''}</td></tr>`,
    )}</tbody></table></div>`
  : ''}`;
}

export const organizationRoutes: PortalRoute[] = [
  { method: 'GET', path: '/o/{org}', handle: (page) => organizationHome(page, page.query.get('done') === 'created' ? notice('success', html`<p>Created.</p>`) : '') },
  {
    method: 'POST',
    path: '/o/{org}/directories',
    async handle(page) {
      const provider = page.form.get('provider') ?? '';
      if (!PROVIDERS.includes(provider as Provider)) throw new ServiceError('invalid_value', 'Choose Okta, Microsoft Entra ID or Other SCIM 2.0.');
      const directory = await createDirectoryWithoutToken(page.ctx, { organizationId: orgScope(page).id, provider });
      return page.redirect(page.paths.dir(directory.organizationId, directory.id));
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/links',
    consoleOnly: true,
    async handle(page) {
      const link = await issuePortalLink(page.ctx, { organizationId: orgScope(page).id });
      return organizationHome(
        page,
        notice(
          'success',
          html`<p><strong>Setup link created.</strong> Copy it now and send it to the IT administrator: it is shown only this once. It works once and expires ${time(link.expiresAt, page.now)}.</p>${copyField('Setup link', link.url, 'setup-link', { secret: true })}`,
        ),
      );
    },
  },
];
