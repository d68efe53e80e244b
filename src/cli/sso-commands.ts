/**
 * `scimitar sso create|list|show|set|refresh|delete|policy|attempts`: an organization's SAML
 * connections from the command line. `create` and `show` print what the customer's IT administrator
 * enters in the identity provider (ACS URL, Audience URI, Name ID format, attribute statements,
 * Default RelayState), by the names Okta's SAML wizard uses. The SP private key is never printed.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../config/config.js';
import type { Scimitar } from '../runtime/create-scimitar.js';
import { print, withScimitar } from './with-scimitar.js';

type ConnectionView = Awaited<ReturnType<Scimitar['sso']['getConnection']>>;
type Attempt = Awaited<ReturnType<Scimitar['sso']['attempts']>>[number];
type Settings = Awaited<ReturnType<Scimitar['sso']['getSettings']>>;
type Changes = Awaited<ReturnType<Scimitar['sso']['refreshMetadata']>>['changes'];

function readFile(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${option} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseBoolean(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError(`expected true or false (got "${value}")`);
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1000) throw new InvalidArgumentError(`expected a number from 1 to 1000 (got "${value}")`);
  return n;
}

const sourceOf = (c: ConnectionView) =>
  c.metadataSource === 'url' ? `metadata URL ${c.metadataUrl} (read ${c.metadataFetchedAt ?? 'never'})` : c.metadataSource === 'xml' ? 'metadata XML' : 'values typed in';

/** What the IdP admin enters, then what we know of the IdP. */
export function describeConnection(c: ConnectionView): string {
  const pad = (label: string) => `  ${label.padEnd(38)}`;
  const [first, ...others] = c.sp.attributeStatements.map((a) => `${a.name} = ${a.value}`);
  return [
    `SAML connection ${c.id} "${c.name}" for organization ${c.organizationId} (${c.status})`,
    `Users sign in to directory ${c.directoryId}.`,
    ``,
    `Enter these in the identity provider (Okta: Applications > Create App Integration > SAML 2.0;`,
    `Entra: Enterprise applications > New application > Single sign-on > SAML):`,
    `${pad('Single sign-on URL (ACS URL):')}${c.sp.acsUrl}`,
    `${pad('Audience URI (SP Entity ID):')}${c.sp.spEntityId}`,
    `${pad('Name ID format:')}EmailAddress (${c.sp.nameIdFormat})`,
    `${pad('Application username:')}Email`,
    `${pad('Default RelayState:')}${c.sp.defaultRelayState ?? '(leave empty)'}`,
    `${pad('Attribute statements:')}${first ?? ''}`,
    ...others.map((line) => `${pad('')}${line}`),
    `${pad('Group attribute statement (optional):')}${c.sp.optionalGroupAttribute.name}, filter "${c.sp.optionalGroupAttribute.filter}"`,
    `${pad('SP metadata URL:')}${c.sp.spMetadataUrl}`,
    ``,
    `Identity provider:`,
    `${pad('Entity ID:')}${c.idpEntityId}`,
    `${pad('SSO URL:')}${c.idpSsoUrl}`,
    ...c.idpCertificates.map((cert, i) => `${pad(i === 0 ? 'Signing certificates:' : '')}sha256:${cert.fingerprintSha256}  ${cert.subject || '(unreadable)'}, expires ${cert.notAfter || '?'}`),
    `${pad('From:')}${sourceOf(c)}`,
    ``,
    `Sign-in:`,
    `${pad('Redirect URLs:')}${c.redirectUrls.length === 0 ? '(none: add one with scimitar sso set --redirect-url)' : c.redirectUrls.join(', ')}`,
    `${pad('IdP-initiated sign-in:')}${c.allowIdpInitiated ? 'allowed' : 'refused'}`,
  ].join('\n');
}

const describeSettings = (s: Settings) =>
  `Organization ${s.organizationId}: sign-in policy ${s.policy} (${s.policy === 'jit' ? 'sign-in creates and updates users' : 'only active users the directory already has'}); ` +
  `domains: ${s.domains.length === 0 ? 'none' : s.domains.join(', ')}`;

function describeChanges(c: ConnectionView, changes: Changes): string {
  const lines = [
    ...(changes.entityId ? [`  entity ID: ${changes.entityId.from} -> ${changes.entityId.to}`] : []),
    ...(changes.ssoUrl ? [`  SSO URL: ${changes.ssoUrl.from} -> ${changes.ssoUrl.to}`] : []),
    ...changes.certificatesAdded.map((f) => `  certificate added: sha256:${f}`),
    ...changes.certificatesRemoved.map((f) => `  certificate removed: sha256:${f}`),
  ];
  return [`Refreshed the metadata of ${c.id} from ${c.metadataUrl}.`, ...(lines.length === 0 ? ['  nothing changed'] : lines)].join('\n');
}

const describeAttempt = (a: Attempt) =>
  `${a.at}  ${a.outcome.padEnd(9)} ${a.flow.padEnd(13)} ${a.subject ?? '-'}  ${a.correlationId}` +
  (a.outcome === 'failed' ? `\n    ${a.failureCode ?? 'failed'}: ${a.detail ?? ''}${a.want !== null ? `\n    want: ${a.want}` : ''}${a.got !== null ? `\n    got:  ${a.got}` : ''}` : '');

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerSsoCommands(program: Command, config: () => Readonly<Config>): void {
  const sso = program.command('sso').description('SAML single sign-on connections of an organization');

  sso
    .command('create')
    .description('connect an organization\'s identity provider; prints what to enter in it')
    .requiredOption('--org <organizationId>', 'organization id')
    .option('--metadata-url <url>', 'the IdP\'s metadata URL (read now; refresh later with sso refresh)')
    .option('--metadata-file <path>', 'the IdP\'s metadata XML file')
    .option('--sso-url <url>', 'the IdP\'s SSO URL (with --entity-id and --cert-file)')
    .option('--entity-id <id>', 'the IdP\'s entity ID (Issuer)')
    .option('--cert-file <path>', 'an IdP signing certificate, PEM or base64 (repeatable)', collect)
    .option('--name <name>', 'a name for the connection (default: the IdP\'s)')
    .option('--directory <id>', 'match and create users in this directory (default: the organization\'s first, else a new one)')
    .option('--redirect-url <url>', 'a URL of your app a sign-in may return to (repeatable)', collect)
    .option('--default-redirect <url>', 'where IdP-initiated sign-ins land: one of the --redirect-url values')
    .option('--allow-idp-initiated', 'accept sign-ins started from the IdP\'s dashboard')
    .option('--json', 'print JSON')
    .action(
      (o: {
        org: string;
        metadataUrl?: string;
        metadataFile?: string;
        ssoUrl?: string;
        entityId?: string;
        certFile?: string[];
        name?: string;
        directory?: string;
        redirectUrl?: string[];
        defaultRedirect?: string;
        allowIdpInitiated?: boolean;
        json?: boolean;
      }) => {
        const typed = [o.ssoUrl, o.entityId, o.certFile].filter((v) => v !== undefined).length;
        const sources = [o.metadataUrl !== undefined, o.metadataFile !== undefined, typed > 0].filter(Boolean).length;
        if (sources !== 1) throw new Error('give exactly one of --metadata-url, --metadata-file, or --sso-url with --entity-id and --cert-file');
        if (typed > 0 && typed < 3) throw new Error('--sso-url, --entity-id and --cert-file go together');
        const metadataXml = o.metadataFile !== undefined ? readFile(o.metadataFile, '--metadata-file') : undefined;
        const fields = typed === 3 ? { ssoUrl: o.ssoUrl!, entityId: o.entityId!, certificates: o.certFile!.map((p) => readFile(p, '--cert-file')) } : undefined;
        return withScimitar(config(), async (s) => {
          const connection = await s.sso.createConnection({
            organizationId: o.org,
            name: o.name,
            metadataUrl: o.metadataUrl,
            metadataXml,
            fields,
            directoryId: o.directory,
            allowIdpInitiated: !!o.allowIdpInitiated,
            redirectUrls: o.redirectUrl ?? [],
            defaultRedirectUrl: o.defaultRedirect ?? null,
          });
          print(!!o.json, connection, `Created.\n\n${describeConnection(connection)}`);
        });
      },
    );

  sso
    .command('list')
    .description('an organization\'s SAML connections')
    .requiredOption('--org <organizationId>', 'organization id')
    .option('--json', 'print JSON')
    .action((o: { org: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const connections = await s.sso.listConnections({ organizationId: o.org });
        const lines = connections.map((c) => `${c.id}  ${c.status.padEnd(8)}  ${c.name}  ${c.idpEntityId}  directory ${c.directoryId}  ACS ${c.sp.acsUrl}`);
        print(!!o.json, connections, lines.length === 0 ? `No SAML connections. Create one with: scimitar sso create --org ${o.org} --metadata-url <url>` : lines.join('\n'));
      }),
    );

  sso
    .command('show')
    .description('one connection, with what to enter in the identity provider')
    .requiredOption('--connection <id>', 'connection id')
    .option('--json', 'print JSON')
    .action((o: { connection: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const connection = await s.sso.getConnection({ connectionId: o.connection });
        print(!!o.json, connection, describeConnection(connection));
      }),
    );

  sso
    .command('set')
    .description('change a connection: name, redirect URLs, IdP-initiated sign-in, certificates, status')
    .requiredOption('--connection <id>', 'connection id')
    .option('--name <name>', 'new name')
    .option('--allow-idp-initiated <true|false>', 'accept sign-ins started from the IdP\'s dashboard', parseBoolean)
    .option('--redirect-url <url>', 'replace the redirect URLs (repeatable)', collect)
    .option('--default-redirect <url>', 'where IdP-initiated sign-ins land (one of the redirect URLs)')
    .option('--clear-default-redirect', 'no default redirect URL')
    .option('--add-cert-file <path>', 'trust one more IdP signing certificate (rollover)')
    .option('--remove-cert <fingerprint>', 'stop trusting the certificate with this SHA-256 fingerprint (never the last one)')
    .option('--sso-url <url>', 'the IdP\'s SSO URL')
    .option('--entity-id <id>', 'the IdP\'s entity ID')
    .option('--status <status>', 'active or inactive (inactive stops sign-ins)')
    .option('--json', 'print JSON')
    .action(
      (o: {
        connection: string;
        name?: string;
        allowIdpInitiated?: boolean;
        redirectUrl?: string[];
        defaultRedirect?: string;
        clearDefaultRedirect?: boolean;
        addCertFile?: string;
        removeCert?: string;
        ssoUrl?: string;
        entityId?: string;
        status?: string;
        json?: boolean;
      }) => {
        if (o.defaultRedirect !== undefined && o.clearDefaultRedirect) throw new Error('--default-redirect and --clear-default-redirect exclude each other');
        if (o.status !== undefined && o.status !== 'active' && o.status !== 'inactive') throw new Error(`--status must be active or inactive (got "${o.status}")`);
        const patch = {
          ...(o.name !== undefined ? { name: o.name } : {}),
          ...(o.allowIdpInitiated !== undefined ? { allowIdpInitiated: o.allowIdpInitiated } : {}),
          ...(o.redirectUrl !== undefined ? { redirectUrls: o.redirectUrl } : {}),
          ...(o.defaultRedirect !== undefined ? { defaultRedirectUrl: o.defaultRedirect } : o.clearDefaultRedirect ? { defaultRedirectUrl: null } : {}),
          ...(o.addCertFile !== undefined ? { addCertificate: readFile(o.addCertFile, '--add-cert-file') } : {}),
          ...(o.removeCert !== undefined ? { removeCertificateFingerprint: o.removeCert } : {}),
          ...(o.status !== undefined ? { status: o.status as 'active' | 'inactive' } : {}),
          ...(o.ssoUrl !== undefined || o.entityId !== undefined
            ? { fields: { ...(o.ssoUrl !== undefined ? { ssoUrl: o.ssoUrl } : {}), ...(o.entityId !== undefined ? { entityId: o.entityId } : {}) } }
            : {}),
        };
        if (Object.keys(patch).length === 0) throw new Error('nothing to change: give at least one option (see scimitar sso set --help)');
        return withScimitar(config(), async (s) => {
          const connection = await s.sso.updateConnection({ connectionId: o.connection, patch });
          print(!!o.json, connection, `Updated.\n\n${describeConnection(connection)}`);
        });
      },
    );

  sso
    .command('refresh')
    .description('read the metadata URL again (certificate rollover)')
    .requiredOption('--connection <id>', 'connection id')
    .option('--json', 'print JSON')
    .action((o: { connection: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const refreshed = await s.sso.refreshMetadata({ connectionId: o.connection });
        print(!!o.json, refreshed, describeChanges(refreshed.connection, refreshed.changes));
      }),
    );

  sso
    .command('delete')
    .description('delete a connection (its directory and users stay)')
    .requiredOption('--connection <id>', 'connection id')
    .action((o: { connection: string }) =>
      withScimitar(config(), async (s) => {
        await s.sso.deleteConnection({ connectionId: o.connection });
        console.log(`Deleted SAML connection ${o.connection}.`);
      }),
    );

  sso
    .command('policy')
    .description('an organization\'s sign-in policy and email domains (shown when nothing is set)')
    .requiredOption('--org <organizationId>', 'organization id')
    .option('--policy <policy>', 'jit (sign-in creates and updates users) or scim_only (only users the directory has)')
    .option('--domain <domain>', 'replace the email domains that find the organization (repeatable)', collect)
    .option('--clear-domains', 'remove every domain')
    .option('--json', 'print JSON')
    .action((o: { org: string; policy?: string; domain?: string[]; clearDomains?: boolean; json?: boolean }) => {
      if (o.domain !== undefined && o.clearDomains) throw new Error('--domain and --clear-domains exclude each other');
      const domains = o.clearDomains ? [] : o.domain;
      return withScimitar(config(), async (s) => {
        const settings =
          o.policy === undefined && domains === undefined
            ? await s.sso.getSettings({ organizationId: o.org })
            : await s.sso.updateSettings({ organizationId: o.org, policy: o.policy, domains });
        print(!!o.json, settings, describeSettings(settings));
      });
    });

  sso
    .command('attempts')
    .description('sign-in attempts of a connection, newest first, with the reason of each failure')
    .requiredOption('--connection <id>', 'connection id')
    .option('--failures', 'failed attempts only')
    .option('--limit <n>', 'how many (1 to 1000)', parseLimit, 50)
    .option('--json', 'print JSON')
    .action((o: { connection: string; failures?: boolean; limit: number; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const attempts = await s.sso.attempts({ connectionId: o.connection, failuresOnly: !!o.failures, limit: o.limit });
        print(!!o.json, attempts, attempts.length === 0 ? 'No sign-in attempts recorded.' : attempts.map(describeAttempt).join('\n'));
      }),
    );
}
