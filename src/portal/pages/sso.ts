/**
 * An organization's single sign-on: its SAML connections (IdP, status, certificates with their
 * expiry, the last sign-in), finding a sign-in by the reference a person quotes, the sign-in
 * policy and email domains, and "Add a SAML connection" three ways, as the Okta guides offer
 * them: the metadata URL ("Read from URL"), the metadata XML pasted, or the values typed in.
 *
 * The connection's own pages are in sso-connection.ts (Setup) and sso-attempts.ts (Sign-in log);
 * this module registers all of them (`ssoRoutes`).
 */
import { createSsoConnection, reserveSsoConnectionId, getSsoSettings, listSsoAttempts, listSsoConnections, ssoConnectionView, updateSsoSettings, type CreateSsoConnectionInput } from '../../app/sso/connections.js';
import { ServiceError, isServiceError } from '../../domain/errors.js';
import type { SsoAttempt, SsoConnection, SsoPolicy } from '../../domain/sso.js';
import type { HttpResponse } from '../../http/types.js';
import { badge, copyField, notice, time } from '../components.js';
import { spUrlsOf, SSO_NAME_ID_FORMAT } from '../../app/sso/sign-in-values.js';
import { html, type Html, type HtmlValue } from '../html.js';
import { orgScope, type PageContext, type PortalRoute } from '../page-context.js';
import { findAttempts, ssoAttemptsRoutes } from './sso-attempts.js';
import { ssoConnectionRoutes } from './sso-connection.js';
import { certificateName, certificateValidity, certificatesOf, connectionHref, connectionStatusBadge, inFormWords, listOf, ssoCrumbs, ssoHref } from './sso-frame.js';

/** The "Add a SAML connection" form as typed (kept when it is refused). */
export interface AddConnectionForm {
  /** The id reserved for the connection being added: its ACS URL and Audience URI are shown before it exists. */
  connectionId: string;
  name: string;
  redirectUrls: string;
  allowIdpInitiated: boolean;
  defaultRedirectUrl: string;
  metadataUrl: string;
  metadataXml: string;
  ssoUrl: string;
  entityId: string;
  certificate: string;
}

const EMPTY_ADD: AddConnectionForm = { connectionId: '', name: '', redirectUrls: '', allowIdpInitiated: false, defaultRedirectUrl: '', metadataUrl: '', metadataXml: '', ssoUrl: '', entityId: '', certificate: '' };

interface PolicyForm {
  policy: SsoPolicy;
  domains: string;
}

interface HomeOptions {
  banner?: HtmlValue;
  add?: AddConnectionForm;
  policy?: PolicyForm;
  status?: number;
}

type Source = 'url' | 'xml' | 'fields';

const POLICY_CHOICES: { id: SsoPolicy; label: string; hint: string }[] = [
  {
    id: 'jit',
    label: 'Add people on their first sign-in',
    hint: 'Someone Okta lets in who is not in the directory yet is added (just-in-time). People provisioned by SCIM are matched, never changed by a sign-in.',
  },
  {
    id: 'scim_only',
    label: 'Only people already provisioned by SCIM',
    hint: 'Someone not in the directory is refused, even when Okta lets them in. Choose this when Okta assigns people through the SCIM app.',
  },
];

const DONE: Record<string, { tone: 'success' | 'info'; text: string }> = {
  settings: { tone: 'success', text: 'The sign-in settings are saved.' },
  deleted: { tone: 'info', text: 'The connection was deleted. The directory and its users stay.' },
};

function lastAttemptCell(page: PageContext, connection: SsoConnection, last: SsoAttempt | undefined): Html {
  const log = connectionHref(page, connection.id, '/attempts');
  if (!last) return html`<span class="muted">No sign-in yet</span>`;
  return html`${last.outcome === 'succeeded' ? badge('Succeeded', 'ok') : badge('Failed', 'bad')} ${time(last.at, page.now)}${
    last.failureCode ? html`<div class="hint"><code>${last.failureCode}</code></div>` : ''
  }<div class="hint"><a href="${log}">Sign-in log<span class="sr-only"> of ${connection.name}</span></a></div>`;
}

async function ssoHome(page: PageContext, o: HomeOptions = {}): Promise<HttpResponse> {
  const { ctx } = page;
  const organization = orgScope(page);
  const [connections, settings] = await Promise.all([listSsoConnections(ctx, { organizationId: organization.id }), getSsoSettings(ctx, { organizationId: organization.id })]);
  const rows = await Promise.all(
    connections.map(async (c) => {
      const [last] = await listSsoAttempts(ctx, { organizationId: organization.id, connectionId: c.id, limit: 1 });
      const view = ssoConnectionView(ctx, c);
      return html`<tr>
<td><a href="${connectionHref(page, c.id)}">${c.name}</a></td>
<td class="mono">${c.idpEntityId}</td>
<td>${connectionStatusBadge(c)}</td>
<td><ul class="plain">${view.idpCertificates.map((cert) => html`<li>${certificateName(cert)}: ${certificateValidity(cert, page.now)}</li>`)}</ul></td>
<td>${lastAttemptCell(page, c, last)}</td>
</tr>`;
    }),
  );
  const done = DONE[page.query.get('done') ?? ''];
  const add = o.add ?? EMPTY_ADD;
  const policy = o.policy ?? { policy: settings.policy, domains: settings.domains.join('\n') };
  const csrf = page.viewer.csrfToken;
  const base = ssoHref(page);
  const q = (page.query.get('q') ?? '').trim().slice(0, 200);

  return page.page(
    'Single sign-on',
    html`<h1>Single sign-on</h1>
${o.banner ?? ''}${done ? notice(done.tone, html`<p>${done.text}</p>`) : ''}
<p>Let people at ${organization.name} sign in to the app with their identity provider (SAML 2.0), the same way they open every other work app. Each attempt, and the exact reason of any failure, is kept in the connection's sign-in log.</p>
<h2>Connections</h2>
${connections.length === 0
  ? html`<p>No SAML connection yet. <a href="#add">Add one</a>: it takes about ten minutes with Okta.</p>`
  : html`<div class="table-wrap"><table><caption class="sr-only">SAML connections</caption><thead><tr><th scope="col">Connection</th><th scope="col">IdP entity ID</th><th scope="col">Status</th><th scope="col">Certificates</th><th scope="col">Last sign-in</th></tr></thead><tbody>${rows}</tbody></table></div>
<form method="get" action="${base}" class="search" role="search" aria-label="Find a sign-in by its reference">
<div class="field"><label for="sso-q">Find a sign-in by its reference</label><input type="search" id="sso-q" name="q" value="${q}" maxlength="200" placeholder="K7QM-2XPD-9HTA" spellcheck="false" autocomplete="off"></div>
<div class="field"><button type="submit">Find</button></div>
</form>`}
${addForm(page, add)}
<section class="panel" id="policy" aria-labelledby="policy-h">
<h2 id="policy-h">Who may sign in</h2>
<form method="post" action="${base}/settings"><input type="hidden" name="_csrf" value="${csrf}">
<fieldset class="choices"><legend>Sign-in policy</legend>
${POLICY_CHOICES.map(
  (p) => html`<label class="check" for="policy-${p.id}"><input type="radio" id="policy-${p.id}" name="policy" value="${p.id}" aria-describedby="policy-${p.id}-hint"${policy.policy === p.id ? html` checked` : ''}> ${p.label}</label>
<p class="hint" id="policy-${p.id}-hint">${p.hint}</p>`,
)}
</fieldset>
<label for="sso-domains">Email domains <span class="hint">(one per line, such as acme.com)</span></label>
<textarea id="sso-domains" name="domains" rows="3" spellcheck="false" autocomplete="off" aria-describedby="sso-domains-hint">${policy.domains}</textarea>
<p class="hint" id="sso-domains-hint">The app can then start a sign-in from a person's work email alone. A domain belongs to one organization only.</p>
<div class="actions"><button type="submit">Save sign-in settings</button></div>
</form>
</section>`,
    { status: o.status, crumbs: ssoCrumbs(page, false) },
  );
}

function addForm(page: PageContext, add: AddConnectionForm): Html {
  // The id is reserved now so Okta's wizard, which asks for our URLs first, can have them.
  const connectionId = /^sso_[0-9a-z]{26}$/.test(add.connectionId) ? add.connectionId : reserveSsoConnectionId(page.ctx);
  const urls = spUrlsOf(page.ctx.settings, connectionId);
  return html`<section class="panel" id="add" aria-labelledby="add-h">
<h2 id="add-h">Add a SAML connection</h2>
<ol class="hint">
<li>In Okta, create the SAML 2.0 app (<strong>Applications</strong> &gt; <strong>Applications</strong> &gt; <strong>Create App Integration</strong> &gt; <strong>SAML 2.0</strong>). On <strong>Configure SAML</strong>, paste these two values, set <strong>Name ID format</strong> to <strong>EmailAddress</strong> and add the attribute statements <code>email</code>, <code>firstName</code>, <code>lastName</code>:</li>
</ol>
${copyField('Single sign-on URL (ACS URL)', urls.acsUrl, 'add-acs-url')}
${copyField('Audience URI (SP Entity ID)', urls.entityId, 'add-entity-id-sp')}
<p class="hint">Name ID format: <code>${SSO_NAME_ID_FORMAT}</code>. After the connection is saved, its page lists every value and step again.</p>
<ol class="hint" start="2">
<li>Give us the Okta app's details below, one of three ways. We read its entity ID, SSO URL and signing certificate.</li>
<li>We then show the remaining values to enter in Okta (Default RelayState, optional groups), with a Copy button each.</li>
</ol>
<form method="post" action="${ssoHref(page, '/connections')}"><input type="hidden" name="_csrf" value="${page.viewer.csrfToken}"><input type="hidden" name="connection_id" value="${connectionId}">
<label for="add-name">Name <span class="hint">(optional; “Okta” when the metadata is Okta's)</span></label>
<input id="add-name" name="name" type="text" maxlength="200" value="${add.name}">
<label for="add-redirects">Redirect URLs of the app <span class="hint">(where a sign-in may return, one per line, exactly as the app's developer gave them; you can add them later)</span></label>
<textarea id="add-redirects" name="redirectUrls" rows="2" spellcheck="false" autocomplete="off" class="mono">${add.redirectUrls}</textarea>
<label class="check" for="add-idp-initiated"><input type="checkbox" id="add-idp-initiated" name="allowIdpInitiated" value="1"${add.allowIdpInitiated ? html` checked` : ''}> Allow sign-in from the IdP dashboard (IdP-initiated)</label>
<label for="add-default-redirect">Default redirect URL <span class="hint">(optional; one of the redirect URLs, where a sign-in from the dashboard lands)</span></label>
<input id="add-default-redirect" name="defaultRedirectUrl" type="url" value="${add.defaultRedirectUrl}" spellcheck="false" autocomplete="off">
<h3>Your identity provider's details</h3>
<div class="sso-sources">
<section class="source" aria-labelledby="src-url-h">
<h4 id="src-url-h">Metadata URL</h4>
<p class="hint">Okta: the app's Sign On tab, SAML 2.0, Metadata details, <strong>Metadata URL</strong>. Entra ID: App Federation Metadata Url.</p>
<label for="add-metadata-url">Metadata URL</label>
<input id="add-metadata-url" name="metadataUrl" type="url" value="${add.metadataUrl}" spellcheck="false" autocomplete="off" placeholder="https://acme.okta.com/app/exk…/sso/saml/metadata">
<div class="actions"><button type="submit" name="source" value="url">Read from URL</button></div>
</section>
<section class="source" aria-labelledby="src-xml-h">
<h4 id="src-xml-h">Upload metadata XML</h4>
<p class="hint">When this server cannot reach Okta: open the Metadata URL in your browser, save the page as text (or view its source), and paste all of it here.</p>
<label for="add-metadata-xml">Paste the metadata XML</label>
<textarea id="add-metadata-xml" name="metadataXml" rows="6" spellcheck="false" autocomplete="off" class="mono" placeholder="&lt;md:EntityDescriptor …">${add.metadataXml}</textarea>
<div class="actions"><button type="submit" name="source" value="xml">Use this XML</button></div>
</section>
<section class="source" aria-labelledby="src-fields-h">
<h4 id="src-fields-h">Enter fields</h4>
<p class="hint">Okta: the app's Sign On tab, <strong>View SAML setup instructions</strong>.</p>
<label for="add-sso-url">SSO URL <span class="hint">(Identity Provider Single Sign-On URL)</span></label>
<input id="add-sso-url" name="ssoUrl" type="url" value="${add.ssoUrl}" spellcheck="false" autocomplete="off">
<label for="add-entity-id">IdP entity ID <span class="hint">(Identity Provider Issuer)</span></label>
<input id="add-entity-id" name="entityId" type="text" value="${add.entityId}" spellcheck="false" autocomplete="off">
<label for="add-certificate">Certificate <span class="hint">(X.509 Certificate, PEM)</span></label>
<textarea id="add-certificate" name="certificate" rows="5" spellcheck="false" autocomplete="off" class="mono" placeholder="-----BEGIN CERTIFICATE-----">${add.certificate}</textarea>
<div class="actions"><button type="submit" name="source" value="fields">Save these values</button></div>
</section>
</div>
</form>
</section>`;
}

function readAddForm(form: URLSearchParams): AddConnectionForm {
  const text = (name: string) => form.get(name) ?? '';
  return {
    connectionId: text('connection_id').trim(),
    name: text('name').trim(),
    redirectUrls: text('redirectUrls'),
    allowIdpInitiated: text('allowIdpInitiated') === '1',
    defaultRedirectUrl: text('defaultRedirectUrl').trim(),
    metadataUrl: text('metadataUrl').trim(),
    metadataXml: text('metadataXml').trim(),
    ssoUrl: text('ssoUrl').trim(),
    entityId: text('entityId').trim(),
    certificate: text('certificate').trim(),
  };
}

/**
 * Which of the three ways the form used: the button clicked. Enter in a field submits with the
 * first button ("Read from URL"), so when that way is empty and exactly one other is filled in,
 * the filled-in one is meant.
 */
export function chooseSource(add: AddConnectionForm, button: string | null): Source | undefined {
  const filled: Record<Source, boolean> = { url: add.metadataUrl !== '', xml: add.metadataXml !== '', fields: add.ssoUrl !== '' || add.entityId !== '' || add.certificate !== '' };
  const clicked = button === 'url' || button === 'xml' || button === 'fields' ? button : undefined;
  const given = (Object.keys(filled) as Source[]).filter((s) => filled[s]);
  if (given.length === 0) return undefined;
  if (clicked && filled[clicked]) return clicked;
  return given.length === 1 ? given[0] : clicked;
}

const MISSING: Record<Source, string> = {
  url: 'Enter the metadata URL (Okta: the app’s Sign On tab, Metadata URL), or use one of the other two ways.',
  xml: 'Paste the metadata XML, or use one of the other two ways.',
  fields: 'Enter the SSO URL, the IdP entity ID and the certificate, or use one of the other two ways.',
};

function createInput(organizationId: string, add: AddConnectionForm, source: Source | undefined): CreateSsoConnectionInput {
  if (source === undefined) throw new ServiceError('invalid_value', 'Give your identity provider’s details one of the three ways: its metadata URL, its metadata XML, or the values typed in.');
  const common = {
    organizationId,
    ...(add.connectionId ? { id: add.connectionId } : {}),
    ...(add.name ? { name: add.name } : {}),
    redirectUrls: listOf(add.redirectUrls),
    allowIdpInitiated: add.allowIdpInitiated,
    defaultRedirectUrl: add.defaultRedirectUrl || null,
  };
  if (source === 'url') {
    if (!add.metadataUrl) throw new ServiceError('invalid_value', MISSING.url);
    return { ...common, metadataUrl: add.metadataUrl };
  }
  if (source === 'xml') {
    if (!add.metadataXml) throw new ServiceError('invalid_value', MISSING.xml);
    return { ...common, metadataXml: add.metadataXml };
  }
  if (!add.ssoUrl || !add.entityId || !add.certificate) throw new ServiceError('invalid_value', MISSING.fields);
  return { ...common, fields: { ssoUrl: add.ssoUrl, entityId: add.entityId, certificates: certificatesOf(add.certificate) } };
}

/** GET /o/{org}/sso?q=<reference>: the connection whose log has it (straight to it when there is one). */
async function findReference(page: PageContext, q: string): Promise<HttpResponse> {
  const organization = orgScope(page);
  const connections = await listSsoConnections(page.ctx, { organizationId: organization.id });
  const hits = (
    await Promise.all(connections.map(async (c) => ((await findAttempts(page, c, { q, failuresOnly: false, before: '' }, 1)).items.length > 0 ? c : undefined)))
  ).filter((c): c is SsoConnection => c !== undefined);
  const logOf = (c: SsoConnection) => `${connectionHref(page, c.id, '/attempts')}?${new URLSearchParams({ q })}`;
  if (hits.length === 1) return page.redirect(logOf(hits[0]!));
  if (hits.length === 0) {
    return ssoHome(page, { banner: notice('warning', html`<p>No sign-in attempt matches <strong>${q}</strong> in the logs of ${organization.name}'s connections. Attempts are kept for 30 days; check the reference the person read out.</p>`) });
  }
  return ssoHome(page, { banner: notice('info', html`<p><strong>${q}</strong> matches attempts of several connections: ${hits.map((c, i) => html`${i > 0 ? ', ' : ''}<a href="${logOf(c)}">${c.name}</a>`)}.</p>`) });
}

const homeRoutes: PortalRoute[] = [
  {
    method: 'GET',
    path: '/o/{org}/sso',
    handle: (page) => {
      const q = (page.query.get('q') ?? '').trim().slice(0, 200);
      return q ? findReference(page, q) : ssoHome(page);
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/sso/connections',
    async handle(page) {
      const add = readAddForm(page.form);
      try {
        const connection = await createSsoConnection(page.ctx, createInput(orgScope(page).id, add, chooseSource(add, page.form.get('source'))));
        return page.redirect(`${connectionHref(page, connection.id)}?done=created`);
      } catch (error) {
        if (!isServiceError(error) || error.code !== 'invalid_value') throw error;
        return ssoHome(page, {
          add,
          status: 400,
          banner: notice('error', html`<p><strong>The connection was not created.</strong> ${inFormWords(error.detail)}</p><p><a href="#add">Back to the form</a></p>`),
        });
      }
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/sso/settings',
    async handle(page) {
      const policy: PolicyForm = { policy: page.form.get('policy') === 'scim_only' ? 'scim_only' : 'jit', domains: page.form.get('domains') ?? '' };
      try {
        await updateSsoSettings(page.ctx, { organizationId: orgScope(page).id, policy: page.form.get('policy') ?? '', domains: listOf(policy.domains) });
        return page.redirect(`${ssoHref(page)}?done=settings`);
      } catch (error) {
        if (!isServiceError(error) || (error.code !== 'invalid_value' && error.code !== 'uniqueness_conflict')) throw error;
        return ssoHome(page, {
          policy,
          status: error.code === 'uniqueness_conflict' ? 409 : 400,
          banner: notice('error', html`<p><strong>The sign-in settings were not saved.</strong> ${inFormWords(error.detail)}</p><p><a href="#policy">Back to the form</a></p>`),
        });
      }
    },
  },
];

/** Every single sign-on screen of the portal. */
export const ssoRoutes: PortalRoute[] = [...homeRoutes, ...ssoConnectionRoutes, ...ssoAttemptsRoutes];
