/**
 * Credentials: the SCIM base URL, the tokens (prefix, created, last use and by whom), generate
 * or rotate with a grace period, revoke. A new token is shown once, in the response to the POST.
 */
import { revokeScimToken } from '../../app/admin/revoke-scim-token.js';
import { listScimTokens } from '../../app/admin/list-scim-tokens.js';
import { rotateScimToken } from '../../app/admin/rotate-scim-token.js';
import { scimBaseUrl } from '../../app/context.js';
import type { HttpResponse } from '../../http/types.js';
import { badge, copyField, notice, postForm, time } from '../components.js';
import { directoryHref, directoryPage } from '../directory-frame.js';
import { providerName } from '../health.js';
import { html, type HtmlValue } from '../html.js';
import { scope, type PageContext, type PortalRoute } from '../page-context.js';

const STATE_BADGE = {
  active: () => badge('Active', 'ok'),
  expiring: () => badge('Expiring', 'warn'),
  expired: () => badge('Expired', 'muted'),
  revoked: () => badge('Revoked', 'muted'),
} as const;

async function credentialsPage(page: PageContext, banner: HtmlValue = '', newToken?: string): Promise<HttpResponse> {
  const { directory } = scope(page);
  const tokens = await listScimTokens(page.ctx, { directoryId: directory.id });
  const usable = tokens.filter((t) => t.state === 'active' || t.state === 'expiring');
  const graceHours = Math.round(page.ctx.settings.tokenGraceMs / 3_600_000);
  const idp = providerName(directory.provider);
  const lastUse = (t: (typeof tokens)[number]) =>
    t.lastUsedAt ? html`${time(t.lastUsedAt, page.now)}${t.lastUsedIp ? html` by <span class="mono">${t.lastUsedIp}</span>` : ''}` : html`<span class="muted">never</span>`;
  const revoked = page.query.get('done') === 'revoked' ? notice('info', html`<p>The token was revoked: requests that use it now get 401.</p>`) : '';
  return directoryPage(
    page,
    'credentials',
    'Credentials',
    html`${banner}${revoked}
<section class="panel">
<h2>Connection details</h2>
${copyField('SCIM base URL', scimBaseUrl(page.ctx.settings, directory.id), 'base-url')}
${newToken ? copyField('Bearer token (shown once)', newToken, 'new-token', { secret: true }) : ''}
<p>Valid token: <strong>${usable.length > 0 ? 'yes' : 'no'}</strong>${usable[0]?.lastUsedAt ? html`, last used ${lastUse(usable[0])}` : usable.length ? ', not used yet' : ''}.</p>
</section>
<section class="panel">
<h2>${usable.length ? 'Rotate the token' : 'Generate a token'}</h2>
${postForm(
  directoryHref(page, 'credentials') + '/rotate',
  page.viewer.csrfToken,
  usable.length
    ? html`<p>A new token replaces the current one. Paste it into ${idp}; until then the current token keeps working for the grace period you choose.</p>
<label for="grace">The current token</label>
<select id="grace" name="grace"><option value="grace">keeps working for ${graceHours} hours</option><option value="now">stops working now</option></select>
<div class="actions"><button type="submit">Rotate token</button></div>`
    : html`<p>${idp} sends this token with every request. It is shown once.</p><div class="actions"><button type="submit">Generate token</button></div>`,
)}
</section>
<h2>Tokens</h2>
${tokens.length === 0
  ? html`<p class="muted">No token yet.</p>`
  : html`<div class="table-wrap"><table><thead><tr><th scope="col">Token</th><th scope="col">State</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead><tbody>${tokens.map(
      (t) => html`<tr><td class="mono">${t.prefix}…</td><td>${STATE_BADGE[t.state]()}${t.state === 'expiring' && t.expiresAt ? html` <span class="hint">until ${time(t.expiresAt, page.now)}</span>` : ''}</td><td>${time(t.createdAt, page.now)}</td><td>${lastUse(t)}</td><td>${
        t.state === 'active' || t.state === 'expiring'
          ? html`<form method="post" action="${directoryHref(page, 'credentials')}/tokens/${t.id}/revoke" data-confirm="Revoke this token? Requests that use it will be refused at once."><input type="hidden" name="_csrf" value="${page.viewer.csrfToken}"><button type="submit" class="danger small" aria-label="Revoke token ${t.prefix}">Revoke</button></form>`
          : ''
      }</td></tr>`,
    )}</tbody></table></div>`}`,
  );
}

export const credentialsRoutes: PortalRoute[] = [
  { method: 'GET', path: '/o/{org}/d/{dir}/credentials', handle: (page) => credentialsPage(page) },
  {
    method: 'POST',
    path: '/o/{org}/d/{dir}/credentials/rotate',
    async handle(page) {
      const { directory } = scope(page);
      const rotated = await rotateScimToken(page.ctx, { directoryId: directory.id, revokeOld: page.form.get('grace') === 'now' });
      const previous = rotated.previousTokensExpireAt
        ? html` The previous token keeps working until ${time(rotated.previousTokensExpireAt, page.now)}.`
        : html` Any previous token stopped working now.`;
      return credentialsPage(
        page,
        notice('warning', html`<p><strong>Copy the new token now.</strong> It is shown only this once; we keep only a fingerprint of it. Paste it into ${providerName(directory.provider)} and test the connection.${previous}</p>`),
        rotated.token,
      );
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/d/{dir}/credentials/tokens/{token}/revoke',
    async handle(page) {
      const { directory } = scope(page);
      await revokeScimToken(page.ctx, { directoryId: directory.id, tokenId: page.params['token']! });
      return page.redirect(`${directoryHref(page, 'credentials')}?done=revoked`);
    },
  },
];
