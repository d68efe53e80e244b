/**
 * Guided setup for the portal's "Directory Sync" screen: one module per identity provider,
 * each a list of numbered steps written from the customer's IT administrator's chair, with
 * the values to paste as copy fields. The token is shown only right after it was generated;
 * otherwise the steps say where to generate a new one and never print or invent a token.
 */
import { copyField, notice } from '../components.js';
import { html, type Html, type HtmlValue } from '../html.js';
import { entraScimGuide } from './entra-scim.js';
import { genericScimGuide } from './generic-scim.js';
import { oktaScimGuide } from './okta-scim.js';

export interface GuideInput {
  /** The directory's SCIM base URL: `<public url>/scim/v2/<directoryId>`. */
  scimBaseUrl: string;
  /** The bearer token, only right after it was generated (it is shown once); otherwise null. */
  token: string | null;
  /** The display prefix of the current token (e.g. `scimitar_scim_AbC123`), never the token. */
  tokenPrefix: string | null;
  /** Where the administrator generates a new token. */
  credentialsHref: string;
  usersHref: string;
  groupsHref: string;
  /** The directory's request log (failed requests, with explanations). */
  logHref: string;
  /** The directory's mapping rules (roles from groups, department groups). */
  mappingHref: string;
  organizationName: string;
}

export interface GuideStep {
  /** Stable, unique within the guide and across guides (usable as an anchor). */
  id: string;
  /** Plain text; the page escapes it. */
  title: string;
  body: Html;
}

export type Guide = (input: GuideInput) => GuideStep[];

export type GuideProvider = 'okta' | 'entra' | 'generic';

export function guideFor(provider: GuideProvider): Guide {
  switch (provider) {
    case 'okta':
      return oktaScimGuide;
    case 'entra':
      return entraScimGuide;
    default:
      return genericScimGuide;
  }
}

// ---- shared fragments (used only inside the guide functions, so the import cycle with the
// provider modules is harmless) ----

/** A button, tab, menu or field name exactly as the IdP's console spells it. */
export const ui = (name: string): Html => html`<strong>${name}</strong>`;

/** A console path such as "Applications > Applications", each part in bold. */
export const uiPath = (...parts: string[]): Html =>
  html`${parts.map((p, i) => (i === 0 ? ui(p) : html` &gt; ${ui(p)}`))}`;

export const link = (href: string, text: HtmlValue): Html => html`<a href="${href}">${text}</a>`;

/**
 * The bearer token to paste into `fieldLabel`: a copy field right after generation; otherwise
 * a plain statement that it was shown once, the prefix to recognise it by, and a link to
 * generate a new one. Never prints or invents a token.
 */
export function tokenField(input: GuideInput, fieldLabel: string, id: string): Html {
  if (input.token !== null && input.token !== '') {
    return html`${copyField(fieldLabel, input.token, id, { secret: true })}
${notice('warning', html`Copy the token now. It is shown only this once: this app keeps only a fingerprint of it, so it cannot be shown again.`)}`;
  }
  const prefix = input.tokenPrefix
    ? html` The current token starts with <code>${input.tokenPrefix}</code>…; if you still have it (for example in a password manager), paste it.`
    : '';
  return html`<p><strong>${fieldLabel}</strong>: the token was shown only once, when it was generated, and it cannot be shown again.${prefix}
If you do not have it, ${link(input.credentialsHref, 'generate a new token')}, then come back to this step and paste the new token here.</p>`;
}
