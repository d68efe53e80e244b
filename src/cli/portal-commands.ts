/**
 * The portal from the command line: `scimitar portal-link` creates a setup link for a customer's
 * IT administrator (printed once), and `scimitar admin create|set-password|list` manages the
 * developer console's logins. Passwords are read from stdin (never from an argument, which
 * would end up in shell history and process lists) or generated and printed once.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../config/config.js';
import { print, withScimitar } from './with-scimitar.js';

const consoleUrl = (config: Readonly<Config>) => `${config.publicUrl}/portal/login`;

function parseHours(value: string): number {
  const hours = Number(value);
  if (value.trim() === '' || !Number.isFinite(hours) || hours <= 0) throw new InvalidArgumentError(`expected a number of hours, such as 24 or 0.5 (got "${value}")`);
  return hours;
}

/** The whole of stdin without the final line break; typed without echo when stdin is a terminal. */
export async function readPasswordFromStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY) return promptHidden(stdin, 'Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

function promptHidden(stdin: NodeJS.ReadStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stderr.write(prompt);
    let typed = '';
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.resume();
    const finish = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (data: string) => {
      for (const char of data) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

export function registerPortalCommands(program: Command, config: () => Readonly<Config>): void {
  program
    .command('portal-link')
    .description("create a single-use setup link for an organization's IT administrator (printed only now)")
    .requiredOption('--org <organizationId>', 'organization id')
    .option('--expires-in <hours>', 'hours until the link expires, one minute to 30 days', parseHours, 24)
    .option('--json', 'print JSON')
    .action((o: { org: string; expiresIn: number; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const link = await s.admin.createPortalLink({ organizationId: o.org, expiresInMs: Math.round(o.expiresIn * 3_600_000) });
        const organization = await s.store.organizations.findById(link.organizationId);
        const name = organization?.name ?? link.organizationId;
        print(
          !!o.json,
          { id: link.id, organizationId: link.organizationId, url: link.url, expiresAt: link.expiresAt },
          [
            `Setup link for ${name} (${link.organizationId}):`,
            ``,
            `  ${link.url}`,
            ``,
            `Send it to ${name}'s IT administrator. It opens the setup portal for this organization only, where they connect`,
            `Okta, Microsoft Entra ID or another SCIM 2.0 directory and copy the SCIM URL and token.`,
            `It works once (opening it starts a 12-hour browser session) and expires at ${link.expiresAt}.`,
            `The link is shown only this once; create a new one if it is lost.`,
          ].join('\n'),
        );
      }),
    );

  const admin = program.commands.find((c) => c.name() === 'admin') ?? program.command('admin').description('logins to the developer console (/portal/login)');

  admin
    .command('create')
    .description('create a console login; without --password-stdin a strong password is generated and printed once')
    .requiredOption('--email <email>', 'the email to sign in with')
    .option('--password-stdin', 'read the password from stdin (at least 12 characters)')
    .option('--json', 'print JSON')
    .action((o: { email: string; passwordStdin?: boolean; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const password = o.passwordStdin ? await readPasswordFromStdin() : undefined;
        const created = await s.admin.createAdminUser({ email: o.email, password });
        const loginUrl = consoleUrl(config());
        print(
          !!o.json,
          { id: created.id, email: created.email, ...(created.generatedPassword ? { password: created.generatedPassword } : {}), loginUrl },
          [
            `Created console login ${created.email} (${created.id})`,
            ...(created.generatedPassword
              ? [``, `  Password: ${created.generatedPassword}`, ``, `The password is shown only this once; keep it in your password manager.`]
              : [``, `The password is the one read from stdin.`]),
            `Change it with: scimitar admin set-password --email ${created.email} --password-stdin`,
            ``,
            `Sign in to the console at ${loginUrl}`,
          ].join('\n'),
        );
      }),
    );

  admin
    .command('set-password')
    .description('change the password of a console login, read from stdin')
    .requiredOption('--email <email>', 'the login to change')
    .requiredOption('--password-stdin', 'read the new password from stdin (at least 12 characters)')
    .option('--json', 'print JSON')
    .action((o: { email: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const password = await readPasswordFromStdin();
        await s.admin.setAdminPassword({ email: o.email, password });
        const loginUrl = consoleUrl(config());
        print(!!o.json, { email: o.email.trim(), loginUrl }, `The password of ${o.email.trim()} is changed and its open sessions have ended. Sign in to the console at ${loginUrl}`);
      }),
    );

  admin
    .command('list')
    .description('list console logins (never their passwords)')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const admins = (await s.store.portal.listAdmins()).map((a) => ({ id: a.id, email: a.email, createdAt: a.createdAt, lastLoginAt: a.lastLoginAt }));
        const loginUrl = consoleUrl(config());
        print(
          !!o.json,
          admins,
          admins.length === 0
            ? `No console logins. Create one with: scimitar admin create --email you@example.com\nThe console is at ${loginUrl}`
            : [...admins.map((a) => `${a.id}  ${a.email}  created ${a.createdAt}  last sign-in ${a.lastLoginAt ?? 'never'}`), ``, `The console is at ${loginUrl}`].join('\n'),
        );
      }),
    );
}
