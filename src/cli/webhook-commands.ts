/**
 * `scimitar webhook create|list|enable|disable|delete|attempts|dead-letters|redeliver`: the
 * host app's webhook endpoints and their deliveries. The signing secret is printed once, at
 * creation. Deliveries themselves are made by running servers, never by these commands.
 */
import type { Command } from 'commander';
import type { Config } from '../config/config.js';
import { print, withScimitar } from './with-scimitar.js';

const scopeOf = (organizationId: string | null) => organizationId ?? 'all organizations';
const typesOf = (eventTypes: string[]) => (eventTypes.includes('*') ? 'all events' : eventTypes.join(','));
const eventList = (value: string | undefined) => (value === undefined ? undefined : value.split(',').map((t) => t.trim()).filter(Boolean));

export function registerWebhookCommands(program: Command, config: () => Readonly<Config>): void {
  const webhook = program.command('webhook').description('webhook endpoints that receive directory events');

  webhook
    .command('create')
    .description('create an endpoint; its signing secret is printed only now')
    .requiredOption('--url <url>', 'http:// or https:// URL that receives POSTed events')
    .option('--org <organizationId>', 'only this organization\'s directories (default: all organizations)')
    .option('--events <types>', 'comma-separated event types (default: all)')
    .option('--disabled', 'create it disabled')
    .option('--json', 'print JSON')
    .action((o: { url: string; org?: string; events?: string; disabled?: boolean; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const { endpoint, secret } = await s.webhooks.create({ url: o.url, organizationId: o.org, eventTypes: eventList(o.events), enabled: !o.disabled });
        print(
          !!o.json,
          { ...endpoint, secret },
          [
            `Created webhook endpoint ${endpoint.id}`,
            `  url:    ${endpoint.url}`,
            `  scope:  ${scopeOf(endpoint.organizationId)}`,
            `  events: ${typesOf(endpoint.eventTypes)}${endpoint.enabled ? '' : ' (disabled)'}`,
            ``,
            `  Signing secret: ${secret}`,
            ``,
            `The secret is shown only this once. Verify deliveries with verifyWebhook() from 'scimitar' (docs/events.md).`,
            `The endpoint receives events from now on.`,
          ].join('\n'),
        );
      }),
    );

  webhook
    .command('list')
    .description('list endpoints (with --org: that organization\'s and the global ones)')
    .option('--org <organizationId>', 'organization id')
    .option('--json', 'print JSON')
    .action((o: { org?: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const list = await s.webhooks.list({ organizationId: o.org });
        const lines = list.map((e) => `${e.id}  ${e.enabled ? 'enabled ' : 'disabled'}  ${e.url}  [${typesOf(e.eventTypes)}]  ${scopeOf(e.organizationId)}`);
        print(!!o.json, list, lines.length === 0 ? 'No webhook endpoints.' : lines.join('\n'));
      }),
    );

  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    webhook
      .command(name)
      .description(enabled ? 'enable an endpoint: it receives events from now on' : 'disable an endpoint: it receives nothing until enabled again')
      .requiredOption('--endpoint <id>', 'endpoint id')
      .option('--json', 'print JSON')
      .action((o: { endpoint: string; json?: boolean }) =>
        withScimitar(config(), async (s) => {
          const updated = await s.webhooks.update(o.endpoint, { enabled });
          print(!!o.json, updated, `Webhook endpoint ${updated.id} is now ${updated.enabled ? 'enabled' : 'disabled'}.`);
        }),
      );
  }

  webhook
    .command('delete')
    .description('delete an endpoint with its delivery history')
    .requiredOption('--endpoint <id>', 'endpoint id')
    .action((o: { endpoint: string }) =>
      withScimitar(config(), async (s) => {
        await s.webhooks.delete(o.endpoint);
        console.log(`Deleted webhook endpoint ${o.endpoint}.`);
      }),
    );

  webhook
    .command('attempts')
    .description('delivery attempts of an endpoint, newest first')
    .requiredOption('--endpoint <id>', 'endpoint id')
    .option('--event <id>', 'only this event')
    .option('--limit <n>', 'how many', '50')
    .option('--json', 'print JSON')
    .action((o: { endpoint: string; event?: string; limit: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const attempts = await s.webhooks.attempts({ endpointId: o.endpoint, eventId: o.event, limit: Number(o.limit) });
        const lines = attempts.map(
          (a) =>
            `${a.at}  ${a.outcome.padEnd(17)} ${String(a.statusCode ?? '-').padStart(3)}  ${a.durationMs}ms  #${a.attempt}  ${a.eventType} ${a.eventId} (${a.directoryId} seq ${a.eventSequence})` +
            (a.error ? `\n    ${a.error}` : ''),
        );
        print(!!o.json, attempts, lines.length === 0 ? 'No delivery attempts recorded.' : lines.join('\n'));
      }),
    );

  webhook
    .command('dead-letters')
    .description('events whose last delivery try failed, newest first')
    .requiredOption('--endpoint <id>', 'endpoint id')
    .option('--json', 'print JSON')
    .action((o: { endpoint: string; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const dead = await s.webhooks.deadLetters({ endpointId: o.endpoint });
        const state = (d: (typeof dead)[number]) => (d.redeliverRequestedAt ? 'queued' : d.redeliveredAt ? 'redelivered' : 'dead');
        const lines = dead.map((d) => `${d.diedAt}  ${state(d).padEnd(11)} ${d.eventType} ${d.eventId} after ${d.attempts} attempts${d.lastError ? `: ${d.lastError}` : ''}`);
        print(!!o.json, dead, lines.length === 0 ? 'No dead letters.' : lines.join('\n'));
      }),
    );

  webhook
    .command('redeliver')
    .description('send dead-lettered events again (same webhook-id), out of order, by a running server')
    .requiredOption('--endpoint <id>', 'endpoint id')
    .option('--event <id>', 'one dead-lettered event')
    .option('--all-dead', 'every dead letter not yet redelivered')
    .option('--json', 'print JSON')
    .action((o: { endpoint: string; event?: string; allDead?: boolean; json?: boolean }) =>
      withScimitar(config(), async (s) => {
        const result = await s.webhooks.redeliver({ endpointId: o.endpoint, eventId: o.event, allDead: !!o.allDead });
        print(!!o.json, result, `Queued ${result.queued} event(s) for redelivery; a running server sends them within seconds.`);
      }),
    );
}
