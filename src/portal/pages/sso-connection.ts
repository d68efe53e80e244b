/**
 * One SAML connection's Setup tab: what to enter in Okta (each value with a Copy button) and the
 * numbered Okta guide; the identity provider as we read it (entity ID, SSO URL, where the metadata
 * came from and when, the certificates with fingerprint and expiry); "Read from URL" again with
 * what changed; adding and removing certificates (rollover); the sign-in options (name, redirect
 * URLs, IdP-initiated, active); and deleting the connection.
 */
import {
  deleteSsoConnection,
  listSsoAttempts,
  refreshSsoMetadata,
  ssoConnectionView,
  updateSsoConnection,
  type SsoConnectionPatch,
  type SsoMetadataChanges,
} from '../../app/sso/connections.js';
import { ServiceError, isServiceError } from '../../domain/errors.js';
import type { SsoConnection } from '../../domain/sso.js';
import type { HttpResponse } from '../../http/types.js';
import { badge, copyCode, copyField, notice, postForm, time } from '../components.js';
import { oktaSamlGuide } from '../guides/okta-saml.js';
import { html, type Html, type HtmlValue } from '../html.js';
import { orgScope, type PageContext, type PortalRoute } from '../page-context.js';
import { certificateName, certificateValidity, certificatesOf, connectionHref, connectionOf, connectionPage, fingerprintText, inFormWords, listOf, ssoHref } from './sso-frame.js';

/** The sign-in options form as typed (kept when it is refused). */
interface OptionsForm {
  name: string;
  redirectUrls: string;
  defaultRedirectUrl: string;
  allowIdpInitiated: boolean;
  status: 'active' | 'inactive';
}

interface IdpForm {
  ssoUrl: string;
  entityId: string;
}

interface SetupOptions {
  banner?: HtmlValue;
  options?: OptionsForm;
  idp?: IdpForm;
  certificate?: string;
  status?: number;
}

const DONE: Record<string, { tone: 'success' | 'info'; text: string }> = {
  created: { tone: 'success', text: 'The connection is created. Now enter the values below in Okta, following the steps.' },
  saved: { tone: 'success', text: 'The settings are saved.' },
  certificate_added: { tone: 'success', text: 'The certificate was added: responses signed with it are trusted now.' },
  certificate_removed: { tone: 'info', text: 'The certificate was removed: responses signed with it are refused now.' },
  idp_saved: { tone: 'success', text: 'The identity provider values are saved.' },
};

const SOURCE_LABEL: Record<SsoConnection['metadataSource'], string> = {
  url: 'Metadata URL',
  xml: 'Metadata XML (pasted)',
  fields: 'Typed-in values',
};

const NAME_ID_FORMAT_LABEL: Record<string, string> = {
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress': 'EmailAddress',
};

function optionsOf(connection: SsoConnection): OptionsForm {
  return {
    name: connection.name,
    redirectUrls: connection.redirectUrls.join('\n'),
    defaultRedirectUrl: connection.defaultRedirectUrl ?? '',
    allowIdpInitiated: connection.allowIdpInitiated,
    status: connection.status,
  };
}

function readOptions(form: URLSearchParams): OptionsForm {
  return {
    name: form.get('name') ?? '',
    redirectUrls: form.get('redirectUrls') ?? '',
    defaultRedirectUrl: (form.get('defaultRedirectUrl') ?? '').trim(),
    allowIdpInitiated: form.get('allowIdpInitiated') === '1',
    status: form.get('status') === 'inactive' ? 'inactive' : 'active',
  };
}

/** The failure notice for a refused form: what was not saved, and the use case's reason in the form's words. */
const refused = (what: string, error: ServiceError): Html => notice('error', html`<p><strong>${what}</strong> ${inFormWords(error.detail)}</p>`);

/** Errors a form shows next to the values typed: bad input, or a conflict. Anything else is the gate's error page. */
const isFormError = (error: unknown): error is ServiceError => isServiceError(error) && (error.code === 'invalid_value' || error.code === 'uniqueness_conflict');

function changesNotice(page: PageContext, changes: SsoMetadataChanges): Html {
  const items: Html[] = [
    ...changes.certificatesAdded.map((f) => html`<li class="diff-add">Certificate added: <span class="mono">${fingerprintText(f)}</span></li>`),
    ...changes.certificatesRemoved.map((f) => html`<li class="diff-remove">Certificate removed: <span class="mono">${fingerprintText(f)}</span></li>`),
  ];
  if (changes.entityId) items.push(html`<li>IdP entity ID: <code>${changes.entityId.from}</code> → <code>${changes.entityId.to}</code></li>`);
  if (changes.ssoUrl) items.push(html`<li>SSO URL: <code>${changes.ssoUrl.from}</code> → <code>${changes.ssoUrl.to}</code></li>`);
  if (items.length === 0) return notice('success', html`<p><strong>Read the metadata again</strong> ${time(page.now.toISOString(), page.now)}: nothing changed.</p>`);
  return notice('success', html`<p><strong>Read the metadata again</strong> ${time(page.now.toISOString(), page.now)}. What changed:</p><ul class="changes">${items}</ul>`);
}

async function setupPage(page: PageContext, connection: SsoConnection, o: SetupOptions = {}): Promise<HttpResponse> {
  const { ctx } = page;
  const organization = orgScope(page);
  const view = ssoConnectionView(ctx, connection);
  const sp = view.sp;
  const href = connectionHref(page, connection.id);
  const attemptsHref = connectionHref(page, connection.id, '/attempts');
  const [last] = await listSsoAttempts(ctx, { organizationId: organization.id, connectionId: connection.id, limit: 1 });
  const directory = await ctx.store.directories.findById(connection.directoryId);
  const done = DONE[page.query.get('done') ?? ''];
  const options = o.options ?? optionsOf(connection);
  const idp = o.idp ?? { ssoUrl: connection.idpSsoUrl, entityId: connection.idpEntityId };
  const steps = oktaSamlGuide({
    acsUrl: sp.acsUrl,
    spEntityId: sp.spEntityId,
    spMetadataUrl: sp.spMetadataUrl,
    nameIdFormat: sp.nameIdFormat,
    defaultRelayState: sp.defaultRelayState,
    allowIdpInitiated: connection.allowIdpInitiated,
    settingsHref: `${href}#settings`,
    attemptsHref,
    organizationName: organization.name,
  });
  const csrf = page.viewer.csrfToken;
  const certificates = view.idpCertificates;

  const lastLine = last
    ? html`${last.outcome === 'succeeded' ? badge('Succeeded', 'ok') : badge('Failed', 'bad')} ${time(last.at, page.now)}${last.subject ? html` · <span class="mono">${last.subject}</span>` : ''}${last.failureCode ? html` · <code>${last.failureCode}</code>` : ''}`
    : html`<span class="muted">no sign-in yet</span>`;

  const relayState =
    connection.allowIdpInitiated && sp.defaultRelayState
      ? copyField('Default RelayState', sp.defaultRelayState, 'sp-relay-state')
      : html`<p><strong>Default RelayState</strong>: leave it empty in Okta${connection.allowIdpInitiated ? html` (no default redirect URL is set: <a href="#options">set one</a> to let people start from the Okta dashboard)` : html` (sign-in from the Okta dashboard is off: <a href="#options">turn it on</a> first)`}.</p>`;

  const certificateRows = certificates.map((c) => {
    const fingerprint = fingerprintText(c.fingerprintSha256);
    return html`<tr>
<td>${certificateName(c)}${c.issuer && c.issuer !== c.subject ? html`<div class="hint">issued by ${c.issuer}</div>` : ''}</td>
<td class="mono fingerprint">${fingerprint}</td>
<td>${certificateValidity(c, page.now)}</td>
<td>${
      certificates.length > 1
        ? html`<form method="post" action="${href}/certificates/remove" data-confirm="Stop trusting this certificate? Responses signed with it will be refused."><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="fingerprint" value="${c.fingerprintSha256}"><button type="submit" class="danger small" aria-label="Remove certificate ${fingerprint.slice(0, 23)}">Remove</button></form>`
        : html`<span class="hint">the only one</span>`
    }</td>
</tr>`;
  });

  return connectionPage(
    page,
    connection,
    'setup',
    'Setup',
    html`${o.banner ?? ''}${done ? notice(done.tone, html`<p>${done.text}</p>`) : ''}
${connection.status === 'inactive' ? notice('warning', html`<p>This connection is <strong>switched off</strong>: every sign-in through it is refused. <a href="#options">Switch it on</a></p>`) : ''}
<p>Last sign-in: ${lastLine}. <a href="${attemptsHref}">Sign-in log</a></p>
<p class="hint">People who sign in are matched in, and added to, the directory ${directory ? html`<a href="${page.paths.dir(organization.id, directory.id)}">${directory.name}</a>` : html`<span class="mono">${connection.directoryId}</span>`}: someone Okta already provisioned by SCIM signs in as that same user.</p>
<section class="panel" aria-labelledby="sp-h">
<h2 id="sp-h">What to enter in Okta</h2>
<p class="hint">The same values work in any SAML 2.0 identity provider. Microsoft Entra ID calls the ACS URL “Reply URL” and the Audience URI “Identifier (Entity ID)”.</p>
${copyField('ACS URL (Okta: Single sign-on URL)', sp.acsUrl, 'sp-acs-url')}
${copyField('Audience URI (SP Entity ID)', sp.spEntityId, 'sp-entity-id')}
${copyField('SP metadata URL', sp.spMetadataUrl, 'sp-metadata-url')}
${copyField('Name ID format', sp.nameIdFormat, 'sp-name-id-format')}
<p class="hint">In Okta: ${NAME_ID_FORMAT_LABEL[sp.nameIdFormat] ?? sp.nameIdFormat}; Application username: Email.</p>
${relayState}
<h3>Attribute statements</h3>
<div class="table-wrap"><table><caption class="sr-only">Attribute statements to add in Okta</caption><thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead><tbody>
${sp.attributeStatements.map((a) => html`<tr><td>${copyCode(a.name, `sp-attr-${a.name}`)}</td><td>${copyCode(a.value, `sp-attr-${a.name}-value`)}</td></tr>`)}
<tr><td>${copyCode(sp.optionalGroupAttribute.name, 'sp-attr-groups')} <span class="hint">(optional, Group Attribute Statements)</span></td><td>${sp.optionalGroupAttribute.filter}</td></tr>
</tbody></table></div>
</section>
<h2>Set up Okta</h2>
<ol class="steps">${steps.map((s) => html`<li id="${s.id}"><h3>${s.title}</h3>${s.body}</li>`)}</ol>
<h2 id="settings">Connection settings</h2>
<section class="panel" id="idp" aria-labelledby="idp-h">
<h3 id="idp-h">Identity provider</h3>
<dl class="kv">
<dt>IdP entity ID</dt><dd class="mono">${connection.idpEntityId}</dd>
<dt>SSO URL</dt><dd class="mono">${connection.idpSsoUrl}</dd>
<dt>Set up from</dt><dd>${SOURCE_LABEL[connection.metadataSource]}</dd>
${connection.metadataUrl ? html`<dt>Metadata URL</dt><dd class="mono">${connection.metadataUrl}</dd>` : ''}
${connection.metadataFetchedAt ? html`<dt>Last read</dt><dd>${time(connection.metadataFetchedAt, page.now)}</dd>` : ''}
<dt>Signed requests</dt><dd>${connection.wantAuthnRequestsSigned ? 'The IdP asks for signed sign-in requests: we sign them.' : 'Not asked for by the IdP.'}</dd>
</dl>
${connection.metadataSource === 'url'
  ? postForm(
      `${href}/refresh`,
      csrf,
      html`<p class="hint">When Okta rotates its signing certificate, read the metadata URL again: the new certificate is trusted, and one Okta no longer lists is dropped.</p><div class="actions"><button type="submit">Read from URL</button></div>`,
      { label: 'Read the metadata URL again' },
    )
  : postForm(
      `${href}/idp`,
      csrf,
      html`<p class="hint">This connection was set up from ${connection.metadataSource === 'xml' ? 'pasted metadata' : 'typed-in values'}, so it does not follow Okta's certificate rotations by itself: add the new certificate below before Okta switches (or add a connection from the metadata URL). Correct a value here:</p>
<label for="idp-sso-url">SSO URL</label>
<input id="idp-sso-url" name="ssoUrl" type="url" required value="${idp.ssoUrl}" spellcheck="false" autocomplete="off">
<label for="idp-entity-id">IdP entity ID</label>
<input id="idp-entity-id" name="entityId" type="text" required value="${idp.entityId}" spellcheck="false" autocomplete="off">
<div class="actions"><button type="submit" class="secondary">Save identity provider values</button></div>`,
      { label: 'Identity provider values' },
    )}
<h4>Signing certificates</h4>
<p class="hint">Every certificate listed is trusted. For a rollover, add the new one before Okta switches to it, and remove the old one afterwards.</p>
<div class="table-wrap"><table class="certificates"><caption class="sr-only">Trusted IdP signing certificates</caption><thead><tr><th scope="col">Certificate</th><th scope="col">SHA-256 fingerprint</th><th scope="col">Validity</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${certificateRows}</tbody></table></div>
${postForm(
  `${href}/certificates`,
  csrf,
  html`<label for="add-certificate">Add a certificate <span class="hint">(PEM, “-----BEGIN CERTIFICATE-----” included; in Okta: Sign On tab, SAML Signing Certificates, Actions, Download certificate, then open the file in a text editor)</span></label>
<textarea id="add-certificate" name="certificate" rows="5" spellcheck="false" autocomplete="off" class="mono" required>${o.certificate ?? ''}</textarea>
<div class="actions"><button type="submit" class="secondary">Add certificate</button></div>`,
  { label: 'Add a certificate' },
)}
</section>
<section class="panel" id="options" aria-labelledby="options-h">
<h3 id="options-h">Sign-in options</h3>
${postForm(
  `${href}/settings`,
  csrf,
  html`<label for="opt-name">Name <span class="hint">(shown in this portal only)</span></label>
<input id="opt-name" name="name" type="text" required maxlength="200" value="${options.name}">
<label for="opt-redirects">Redirect URLs <span class="hint">(the app's addresses a sign-in may return to, one per line, exactly as the app's developer gave them)</span></label>
<textarea id="opt-redirects" name="redirectUrls" rows="3" spellcheck="false" autocomplete="off" class="mono">${options.redirectUrls}</textarea>
<label class="check" for="opt-idp-initiated"><input type="checkbox" id="opt-idp-initiated" name="allowIdpInitiated" value="1"${options.allowIdpInitiated ? html` checked` : ''}> Allow sign-in from the IdP dashboard (IdP-initiated)</label>
<p class="hint">Off, a sign-in must start in the app. On, people can also click the app's tile on their Okta dashboard.</p>
<label for="opt-default-redirect">Default redirect URL <span class="hint">(one of the redirect URLs: where a sign-in from the dashboard lands; also Okta's Default RelayState)</span></label>
<input id="opt-default-redirect" name="defaultRedirectUrl" type="url" value="${options.defaultRedirectUrl}" spellcheck="false" autocomplete="off">
<fieldset class="choices"><legend>Status</legend>
<label class="check" for="opt-active"><input type="radio" id="opt-active" name="status" value="active"${options.status === 'active' ? html` checked` : ''}> Active: people can sign in</label>
<label class="check" for="opt-inactive"><input type="radio" id="opt-inactive" name="status" value="inactive"${options.status === 'inactive' ? html` checked` : ''}> Inactive: every sign-in is refused</label>
</fieldset>
<div class="actions"><button type="submit">Save settings</button></div>`,
  { label: 'Sign-in options' },
)}
</section>
<section class="panel" aria-labelledby="delete-h">
<h3 id="delete-h">Delete this connection</h3>
<p>People can no longer sign in through it, and its sign-in log is deleted. The directory and its users stay.</p>
<form method="post" action="${href}/delete" data-confirm="Delete the connection ${connection.name}? People can no longer sign in through it."><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="danger">Delete connection</button></form>
</section>`,
    { status: o.status },
  );
}

/** Applies a patch; a refused one re-renders the page with the notice, the values typed, and 400 (409 for a conflict). */
async function patchOr(
  page: PageContext,
  connection: SsoConnection,
  patch: SsoConnectionPatch,
  done: string,
  onRefused: (error: ServiceError) => SetupOptions,
): Promise<HttpResponse> {
  try {
    await updateSsoConnection(page.ctx, { organizationId: orgScope(page).id, connectionId: connection.id, patch });
    return page.redirect(`${connectionHref(page, connection.id)}?done=${done}`);
  } catch (error) {
    if (!isFormError(error)) throw error;
    const o = onRefused(error);
    return setupPage(page, connection, { ...o, status: o.status ?? (error.code === 'uniqueness_conflict' ? 409 : 400) });
  }
}

export const ssoConnectionRoutes: PortalRoute[] = [
  { method: 'GET', path: '/o/{org}/sso/{connection}', handle: async (page) => setupPage(page, await connectionOf(page)) },
  {
    method: 'POST',
    path: '/o/{org}/sso/{connection}/settings',
    async handle(page) {
      const connection = await connectionOf(page);
      const options = readOptions(page.form);
      const patch: SsoConnectionPatch = {
        name: options.name,
        redirectUrls: listOf(options.redirectUrls),
        defaultRedirectUrl: options.defaultRedirectUrl || null,
        allowIdpInitiated: options.allowIdpInitiated,
        status: options.status,
      };
      return patchOr(page, connection, patch, 'saved', (error) => ({ options, banner: refused('The settings were not saved.', error) }));
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/sso/{connection}/idp',
    async handle(page) {
      const connection = await connectionOf(page);
      const idp = { ssoUrl: (page.form.get('ssoUrl') ?? '').trim(), entityId: (page.form.get('entityId') ?? '').trim() };
      if (connection.metadataSource === 'url') {
        return setupPage(page, connection, { status: 400, banner: notice('error', html`<p>This connection follows its metadata URL: use <strong>Read from URL</strong> instead.</p>`) });
      }
      return patchOr(page, connection, { fields: idp }, 'idp_saved', (error) => ({ idp, banner: refused('The identity provider values were not saved.', error) }));
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/sso/{connection}/certificates',
    async handle(page) {
      const connection = await connectionOf(page);
      const text = page.form.get('certificate') ?? '';
      const pems = text.trim() === '' ? [] : certificatesOf(text);
      if (pems.length !== 1) {
        const why = pems.length === 0 ? 'Paste the certificate first.' : 'Paste one certificate at a time.';
        return setupPage(page, connection, { certificate: text, status: 400, banner: notice('error', html`<p><strong>The certificate was not added.</strong> ${why}</p>`) });
      }
      return patchOr(page, connection, { addCertificate: pems[0]! }, 'certificate_added', (error) => ({ certificate: text, banner: refused('The certificate was not added.', error) }));
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/sso/{connection}/certificates/remove',
    async handle(page) {
      const connection = await connectionOf(page);
      const fingerprint = page.form.get('fingerprint') ?? '';
      return patchOr(page, connection, { removeCertificateFingerprint: fingerprint }, 'certificate_removed', (error) => ({ banner: refused('The certificate was not removed.', error) }));
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/sso/{connection}/refresh',
    async handle(page) {
      const connection = await connectionOf(page);
      try {
        const refreshed = await refreshSsoMetadata(page.ctx, { organizationId: orgScope(page).id, connectionId: connection.id });
        return setupPage(page, refreshed.connection, { banner: changesNotice(page, refreshed.changes) });
      } catch (error) {
        if (!isFormError(error)) throw error;
        return setupPage(page, connection, { status: 400, banner: refused('The metadata was not read; nothing changed.', error) });
      }
    },
  },
  {
    method: 'POST',
    path: '/o/{org}/sso/{connection}/delete',
    async handle(page) {
      const connection = await connectionOf(page);
      await deleteSsoConnection(page.ctx, { organizationId: orgScope(page).id, connectionId: connection.id });
      return page.redirect(`${ssoHref(page)}?done=deleted`);
    },
  },
];
