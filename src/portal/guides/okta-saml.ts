/**
 * Okta: single sign-on with a SAML 2.0 app integration, from the Okta administrator's chair.
 * Follows the Auzmor and MangoApps guides ("Create App Integration > SAML 2.0", ACS URL,
 * Audience URI, Default RelayState, attribute statements, then the metadata URL back to us).
 */
import { copyCode, copyField } from '../components.js';
import { html, type Html } from '../html.js';
import { link, ui, uiPath, type GuideStep } from './guide.js';

export interface SamlGuideInput {
  acsUrl: string;
  spEntityId: string;
  spMetadataUrl: string;
  nameIdFormat: string;
  /** The Default RelayState to enter for IdP-initiated sign-in (null: IdP-initiated is off or has no default). */
  defaultRelayState: string | null;
  allowIdpInitiated: boolean;
  /** Where the administrator pastes Okta's metadata URL (this connection's settings). */
  settingsHref: string;
  /** The connection's sign-in log. */
  attemptsHref: string;
  organizationName: string;
}

const NAME_FORMAT_LABEL: Record<string, string> = {
  'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress': 'EmailAddress',
  'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified': 'Unspecified',
  'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent': 'Persistent',
};

const attributeRow = (name: string, value: string, id: string): Html =>
  html`<tr><td>${copyCode(name, `${id}-name`)}</td><td>Unspecified</td><td>${copyCode(value, `${id}-value`)}</td></tr>`;

export function oktaSamlGuide(input: SamlGuideInput): GuideStep[] {
  return [
    {
      id: 'okta-saml-create',
      title: 'Create the SAML app in Okta',
      body: html`<ol>
  <li>In the Okta Admin Console, go to ${uiPath('Applications', 'Applications')} and click ${ui('Create App Integration')}.</li>
  <li>Select ${ui('SAML 2.0')} and click ${ui('Next')}.</li>
  <li>On ${ui('General Settings')}, enter an ${ui('App name')} (what your users see on their Okta dashboard) and click ${ui('Next')}.</li>
</ol>
<p>Already provisioning with a SCIM app from this portal? SSO needs its own SAML app; you can later enable SCIM provisioning on this SAML app instead (its ${ui('General')} tab, ${ui('Enable SCIM provisioning')}) and use one app for both.</p>`,
    },
    {
      id: 'okta-saml-configure',
      title: 'Configure SAML',
      body: html`<p>On ${ui('Configure SAML')}, under ${ui('SAML Settings')}, paste:</p>
${copyField('Single sign-on URL', input.acsUrl, 'saml-acs-url')}
<p class="hint">Keep ${ui('Use this for Recipient URL and Destination URL')} checked: we check both against this URL.</p>
${copyField('Audience URI (SP Entity ID)', input.spEntityId, 'saml-entity-id')}
${input.allowIdpInitiated && input.defaultRelayState
  ? copyField('Default RelayState', input.defaultRelayState, 'saml-relay-state')
  : html`<p>${ui('Default RelayState')}: leave it empty${input.allowIdpInitiated ? '' : html` (sign-in from the Okta dashboard is off for this connection; turn it on in ${link(input.settingsHref, 'the connection settings')} first)`}.</p>`}
<ul>
  <li>${ui('Name ID format')}: ${ui(NAME_FORMAT_LABEL[input.nameIdFormat] ?? input.nameIdFormat)}</li>
  <li>${ui('Application username')}: ${ui('Email')} (or ${ui('Okta username')} when it is the work email)</li>
  <li>${ui('Update application username on')}: ${ui('Create and update')}</li>
</ul>
<p>Under ${ui('Show Advanced Settings')}, keep ${ui('Response')} and ${ui('Assertion Signature')} as ${ui('Signed')} and the ${ui('Signature Algorithm')} ${ui('RSA-SHA256')}. We refuse unsigned responses and SHA-1.</p>`,
    },
    {
      id: 'okta-saml-attributes',
      title: 'Add the attribute statements',
      body: html`<p>Still on ${ui('Configure SAML')}, under ${ui('Attribute Statements')}, add three rows (${ui('Name')}, ${ui('Name format')}, ${ui('Value')}):</p>
<div class="table-wrap"><table><thead><tr><th scope="col">Name</th><th scope="col">Name format</th><th scope="col">Value</th></tr></thead><tbody>
${attributeRow('email', 'user.email', 'saml-attr-email')}
${attributeRow('firstName', 'user.firstName', 'saml-attr-first')}
${attributeRow('lastName', 'user.lastName', 'saml-attr-last')}
</tbody></table></div>
<p>Optional, to send group names: under ${ui('Group Attribute Statements')}, ${ui('Name')} ${copyCode('groups', 'saml-attr-groups')}, ${ui('Filter')} ${ui('Matches regex')} ${copyCode('.*', 'saml-attr-groups-filter')} (or a narrower filter such as ${ui('Starts with')} your app's prefix).</p>
<p>Click ${ui('Next')}. On ${ui('Feedback')}, choose ${ui("I'm an Okta customer adding an internal app")} and click ${ui('Finish')}.</p>`,
    },
    {
      id: 'okta-saml-metadata',
      title: "Keep Okta's metadata current",
      body: html`<p>This connection already holds the Okta app's entity ID, SSO URL and signing certificate, read when it was added (from the ${ui('Metadata URL')} on the app's ${ui('Sign On')} tab, or its XML).</p>
<p>When Okta rotates its signing certificate, update the connection in ${link(input.settingsHref, 'its settings')}: ${ui('Read from URL')} again for a connection made from the metadata URL, or add the new certificate (PEM). While both certificates are listed, both are trusted, so sign-ins continue while Okta switches over; remove the old one afterwards.</p>`,
    },
    {
      id: 'okta-saml-assign',
      title: 'Assign people and test',
      body: html`<p>On the ${ui('Assignments')} tab, click ${ui('Assign')} and choose ${ui('Assign to People')} or ${ui('Assign to Groups')}.</p>
<p>Then sign in to the app with your work email. Someone not yet in ${input.organizationName}'s directory is added on first sign-in, unless the organization allows only users provisioned by SCIM.
Each attempt, and the exact reason of each failure, is listed in ${link(input.attemptsHref, 'the sign-in log')}.</p>
<p class="hint">Our SP metadata, if Okta or another IdP asks for it: ${copyCode(input.spMetadataUrl, 'saml-sp-metadata')}</p>`,
    },
  ];
}
