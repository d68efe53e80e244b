/** The two pages shown before a session exists: the console sign-in and a setup link's landing page. */
import type { HttpResponse } from '../../http/types.js';
import { notice, relativeTime } from '../components.js';
import { html, type HtmlValue } from '../html.js';
import type { PageOptions } from '../page-context.js';
import type { PortalPaths } from '../paths.js';

type Render = (title: string, content: HtmlValue, options?: PageOptions) => HttpResponse;

export function loginPage(input: { paths: PortalPaths; render: Render; csrf: string; email?: string; error?: string; status?: number }): HttpResponse {
  return input.render(
    'Sign in',
    html`<div class="center">
<h1>Developer console</h1>
<div class="panel">
${input.error ? notice('error', html`<p>${input.error}</p>`) : ''}
<form method="post" action="${input.paths.login()}">
<input type="hidden" name="_csrf" value="${input.csrf}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${input.email ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button></div>
</form>
<p class="hint">Logins are created with <code>npx scimitar admin create --email you@example.com</code>. Customers' IT administrators do not sign in here: they open the setup link you send them.</p>
</div></div>`,
    { status: input.status },
  );
}

export function linkLandingPage(input: { paths: PortalPaths; render: Render; csrf: string; token: string; organizationName: string; expiresAt: string; now: Date }): HttpResponse {
  return input.render(
    `Set up ${input.organizationName}`,
    html`<div class="center">
<h1>Connect your identity provider</h1>
<div class="panel">
<p>You have been invited to connect <strong>${input.organizationName}</strong>'s identity provider (Okta, Microsoft Entra ID or another SCIM 2.0 directory), so that users and groups are provisioned automatically.</p>
<p class="muted">This link works once and expires ${relativeTime(input.expiresAt, input.now)}. Continuing opens a session of 12 hours in this browser.</p>
<form method="post" action="${input.paths.link(input.token)}">
<input type="hidden" name="_csrf" value="${input.csrf}">
<div class="actions"><button type="submit">Continue to setup</button></div>
</form>
</div></div>`,
  );
}
