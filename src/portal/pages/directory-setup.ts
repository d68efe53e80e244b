/**
 * A directory's "Directory Sync" screen: the Active/Inactive switch, the connection's health
 * in words, and the numbered setup steps for its provider with every value to paste. Right
 * after "Generate token" the token appears here, once, in the step where it is pasted.
 */
import { rotateScimToken } from '../../app/admin/rotate-scim-token.js';
import { setDirectoryStatus } from '../../app/admin/set-directory-status.js';
import { listScimTokens } from '../../app/admin/list-scim-tokens.js';
import { scimBaseUrl } from '../../app/context.js';
import type { HttpResponse } from '../../http/types.js';
import { badge, notice, postForm } from '../components.js';
import { directoryHref, directoryPage } from '../directory-frame.js';
import { guideFor } from '../guides/guide.js';
import { describeHealth, providerName } from '../health.js';
import { html, type HtmlValue } from '../html.js';
import { scope, type PageContext, type PortalRoute } from '../page-context.js';

const DONE: Record<string, { tone: 'success' | 'info'; text: string }> = {
  activated: { tone: 'success', text: 'The directory is active: SCIM requests are accepted again.' },
  deactivated: { tone: 'info', text: 'The directory is switched off: every SCIM request is refused with 403 until you switch it on.' },
};

export async function setupPage(page: PageContext, options: { token?: string; banner?: HtmlValue } = {}): Promise<HttpResponse> {
  const { organization, directory } = scope(page);
  const { ctx } = page;
  await page.options.flushRequestLog();
  const hourAgo = new Date(page.now.getTime() - 3_600_000).toISOString();
  const [summary, tokens] = await Promise.all([ctx.store.requestLog.summary(directory.id, hourAgo), listScimTokens(ctx, { directoryId: directory.id })]);
  const health = describeHealth(directory, summary, page.now);
  const usable = tokens.filter((t) => t.state === 'active' || t.state === 'expiring');
  const done = DONE[page.query.get('done') ?? ''];
  const steps = guideFor(directory.provider)({
    scimBaseUrl: scimBaseUrl(ctx.settings, directory.id),
    token: options.token ?? null,
    tokenPrefix: usable[0]?.prefix ?? null,
    credentialsHref: directoryHref(page, 'credentials'),
    usersHref: directoryHref(page, 'users'),
    groupsHref: directoryHref(page, 'groups'),
    logHref: directoryHref(page, 'log'),
    mappingHref: directoryHref(page, 'mapping'),
    organizationName: organization.name,
  });
  const next = directory.status === 'active' ? 'inactive' : 'active';
  return directoryPage(
    page,
    'setup',
    'Setup',
    html`${options.banner ?? ''}${done ? notice(done.tone, html`<p>${done.text}</p>`) : ''}
<div class="grid">
<section class="panel" aria-labelledby="status-h">
<h2 id="status-h">Status</h2>
<div class="switch"><span>Provisioning is <strong>${directory.status === 'active' ? 'Active' : 'Inactive'}</strong></span>
${postForm(
  directoryHref(page, 'setup') + '/status',
  page.viewer.csrfToken,
  html`<input type="hidden" name="status" value="${next}"><button type="submit" role="switch" aria-checked="${directory.status === 'active' ? 'true' : 'false'}" class="${next === 'inactive' ? 'danger' : ''}">${next === 'inactive' ? 'Switch off' : 'Switch on'}</button>`,
  { label: 'Directory status' },
)}</div>
<p class="hint">Switched off, ${providerName(directory.provider)}'s requests are refused (403) and nothing changes here; switch on to resume.</p>
</section>
<section class="panel" aria-labelledby="health-h">
<h2 id="health-h">Connection</h2>
<p class="health">${badge(health.headline, health.tone)}</p>
<p>${health.detail}</p>
<p class="hint">Valid token: <strong>${usable.length > 0 ? 'yes' : 'no'}</strong>${usable.length === 0 ? html` — generate one in step 2` : ''}. <a href="${directoryHref(page, 'log')}">Request log</a></p>
</section>
</div>
<h2>Set up ${providerName(directory.provider)}</h2>
${options.token ? '' : usable.length === 0 ? postForm(directoryHref(page, 'setup') + '/token', page.viewer.csrfToken, html`<p>First, generate the bearer token ${providerName(directory.provider)} will use. It is shown once, in step 2.</p><button type="submit">Generate token</button>`, { className: 'panel' }) : ''}
<ol class="steps">${steps.map((s) => html`<li id="${s.id}"><h3>${s.title}</h3>${s.body}</li>`)}</ol>`,
  );
}

export const setupRoutes: PortalRoute[] = [
  { method: 'GET', path: '/o/{org}/d/{dir}', handle: (page) => setupPage(page) },
  {
    method: 'POST',
    path: '/o/{org}/d/{dir}/status',
    async handle(page) {
      const { directory } = scope(page);
      const status = page.form.get('status') === 'active' ? 'active' : 'inactive';
      await setDirectoryStatus(page.ctx, { directoryId: directory.id, status });
      return page.redirect(`${directoryHref(page, 'setup')}?done=${status === 'active' ? 'activated' : 'deactivated'}`);
    },
  },
  {
    // "Generate token" inside the guide: the token is rendered in the step where it is pasted.
    method: 'POST',
    path: '/o/{org}/d/{dir}/token',
    async handle(page) {
      const { directory } = scope(page);
      const rotated = await rotateScimToken(page.ctx, { directoryId: directory.id });
      return setupPage(page, {
        token: rotated.token,
        banner: notice('warning', html`<p><strong>Copy the token now.</strong> It is shown only on this page, once; we keep only a fingerprint of it. If you lose it, generate a new one under Credentials.</p>`),
      });
    },
  },
];
