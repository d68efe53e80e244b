/**
 * The console's webhook screens: every endpoint with its delivery status in words (delivering,
 * failing with the last error, dead letters waiting), and per endpoint the recent attempts, the
 * dead letters with "Redeliver" (one or all) and the enable/disable switch. Console sessions
 * only. Deliveries themselves are made by the server's delivery worker; these pages only queue.
 */
import {
  getWebhookEndpoint,
  listDeadLetters,
  listDeliveryAttempts,
  listWebhookEndpoints,
  redeliver,
  updateWebhookEndpoint,
  type DeadLetter,
  type DeliveryAttempt,
  type WebhookEndpointView,
} from '../../app/webhooks/index.js';
import type { HttpResponse } from '../../http/types.js';
import { badge, notice, postForm, relativeTime, time, type Tone } from '../components.js';
import { html, type Html, type HtmlValue } from '../html.js';
import type { PageContext, PortalRoute } from '../page-context.js';
import { consoleNav } from './console.js';

const RECENT_ATTEMPTS = 50;
/** Attempts read per endpoint for the list's status column. */
const STATUS_ATTEMPTS = 20;

interface DeliveryStatus {
  tone: Tone;
  headline: string;
  detail: string;
  /** Dead letters not redelivered yet (queued ones included). */
  dead: number;
}

const isSuccess = (a: DeliveryAttempt) => a.outcome === 'delivered' || a.outcome === 'redelivered';
const deadState = (d: DeadLetter): 'queued' | 'redelivered' | 'dead' => (d.redeliverRequestedAt ? 'queued' : d.redeliveredAt ? 'redelivered' : 'dead');
const typesOf = (eventTypes: string[]) => (eventTypes.includes('*') ? 'All events' : eventTypes.join(', '));

/** What the latest attempts and the dead letters say, in words. */
function deliveryStatus(endpoint: WebhookEndpointView, attempts: DeliveryAttempt[], deadLetters: DeadLetter[], now: Date, where: 'list' | 'endpoint'): DeliveryStatus {
  const dead = deadLetters.filter((d) => d.redeliveredAt === null || d.redeliverRequestedAt !== null).length;
  const deadText =
    dead === 0 ? '' : ` ${dead} ${dead === 1 ? 'event is' : 'events are'} dead-lettered${where === 'list' ? `: open the endpoint to redeliver ${dead === 1 ? 'it' : 'them'}` : ' (below)'}.`;
  const last = attempts[0];
  if (!endpoint.enabled) return { tone: 'muted', headline: 'Disabled', detail: `Receives nothing until it is enabled again.${deadText}`, dead };
  if (!last) return { tone: dead > 0 ? 'warn' : 'muted', headline: 'No deliveries yet', detail: `Events are sent as they happen.${deadText}`, dead };
  if (isSuccess(last)) {
    return {
      tone: dead > 0 ? 'warn' : 'ok',
      headline: dead > 0 ? 'Delivering, with dead letters' : 'Delivering',
      detail: `Last delivered ${relativeTime(last.at, now)} (HTTP ${last.statusCode ?? '-'}).${deadText}`,
      dead,
    };
  }
  const failures = attempts.findIndex(isSuccess);
  const count = failures === -1 ? attempts.length : failures;
  const counted = count === 1 ? 'The last attempt' : `The last ${count}${failures === -1 && attempts.length === STATUS_ATTEMPTS ? '+' : ''} attempts`;
  const next =
    last.outcome === 'failed'
      ? 'It is retried with backoff; an event that keeps failing for about 31 hours is dead-lettered.'
      : last.outcome === 'dead'
        ? 'That event ran out of retries and was dead-lettered; the next events are tried as they come.'
        : 'A failed redelivery stays dead-lettered.';
  return {
    tone: 'bad',
    headline: 'Failing',
    detail: `${counted} failed (the latest ${relativeTime(last.at, now)}: ${last.error ?? `HTTP ${last.statusCode ?? '-'}`}). ${next}${deadText}`,
    dead,
  };
}

function enabledBadge(endpoint: WebhookEndpointView): Html {
  return endpoint.enabled ? badge('Enabled', 'ok') : badge('Disabled', 'muted');
}

/** Organization names by id, looked up once per page. */
function organizationNames(page: PageContext): (id: string | null) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (id) => {
    if (id === null) return Promise.resolve('All organizations');
    let name = cache.get(id);
    if (!name) {
      name = page.ctx.store.organizations.findById(id).then((o) => o?.name ?? id);
      cache.set(id, name);
    }
    return name;
  };
}

function directoryNames(page: PageContext): (id: string) => Promise<string> {
  const cache = new Map<string, Promise<string>>();
  return (id) => {
    let name = cache.get(id);
    if (!name) {
      name = page.ctx.store.directories.findById(id).then((d) => d?.name ?? id);
      cache.set(id, name);
    }
    return name;
  };
}

const endpointHref = (page: PageContext, id: string, sub = '') => page.paths.console(`/webhooks/${encodeURIComponent(id)}${sub}`);

async function webhookList(page: PageContext): Promise<HttpResponse> {
  const { ctx } = page;
  const endpoints = await listWebhookEndpoints(ctx);
  const orgName = organizationNames(page);
  const rows = await Promise.all(
    endpoints.map(async (e) => {
      const [attempts, deadLetters, scope] = await Promise.all([
        listDeliveryAttempts(ctx, { endpointId: e.id, limit: STATUS_ATTEMPTS }),
        listDeadLetters(ctx, { endpointId: e.id }),
        orgName(e.organizationId),
      ]);
      const status = deliveryStatus(e, attempts, deadLetters, page.now, 'list');
      return html`<tr><td><a href="${endpointHref(page, e.id)}" class="mono">${e.url}</a><div class="hint mono">${e.id}</div></td><td>${scope}</td><td>${typesOf(e.eventTypes)}</td><td>${enabledBadge(e)}</td><td>${badge(status.headline, status.tone)}${status.dead > 0 ? html` ${badge(`${status.dead} dead`, 'bad')}` : ''}<div class="hint">${status.detail}</div></td></tr>`;
    }),
  );
  return page.page(
    'Webhooks',
    html`<h1>Console</h1>
${consoleNav(page, 'webhooks')}
<h2>Webhook endpoints</h2>
${endpoints.length === 0
  ? html`<p>No webhook endpoint yet. Create one with <code>npx scimitar webhook create --url https://your-app.example.com/hooks/scimitar</code> or <code>POST /api/v1/webhook-endpoints</code>; its signing secret is shown once, at creation.</p>`
  : html`<div class="table-wrap"><table><thead><tr><th scope="col">URL</th><th scope="col">Organization</th><th scope="col">Events</th><th scope="col">Enabled</th><th scope="col">Delivery</th></tr></thead><tbody>${rows}</tbody></table></div>`}`,
    { crumbs: [{ href: page.paths.console(), label: 'Console' }] },
  );
}

const DONE: Record<string, (count: number) => { tone: 'success' | 'info'; text: string }> = {
  queued: (count) =>
    count === 0
      ? { tone: 'info', text: 'Nothing to redeliver: every dead letter was already redelivered or is queued.' }
      : { tone: 'success', text: `Queued ${count} ${count === 1 ? 'event' : 'events'} for redelivery, with the original webhook-id and body. The server sends ${count === 1 ? 'it' : 'them'} within seconds; the attempts below show the outcome.` },
  enabled: () => ({ tone: 'success', text: 'The endpoint is enabled: it receives the events that happen from now on. Events from while it was disabled are not sent; pull them from the events API if needed.' }),
  disabled: () => ({ tone: 'info', text: 'The endpoint is disabled: it receives nothing until it is enabled again.' }),
};

const OUTCOME: Record<DeliveryAttempt['outcome'], { text: string; tone: Tone }> = {
  delivered: { text: 'Delivered', tone: 'ok' },
  redelivered: { text: 'Redelivered', tone: 'ok' },
  failed: { text: 'Failed, will retry', tone: 'warn' },
  dead: { text: 'Failed, dead-lettered', tone: 'bad' },
  redelivery_failed: { text: 'Redelivery failed', tone: 'bad' },
};

async function endpointPage(page: PageContext): Promise<HttpResponse> {
  const { ctx } = page;
  const endpointId = page.params['endpoint']!;
  const endpoint = await getWebhookEndpoint(ctx, endpointId);
  const [attempts, deadLetters, scope] = await Promise.all([
    listDeliveryAttempts(ctx, { endpointId, limit: RECENT_ATTEMPTS }),
    listDeadLetters(ctx, { endpointId }),
    organizationNames(page)(endpoint.organizationId),
  ]);
  const dirName = directoryNames(page);
  const status = deliveryStatus(endpoint, attempts, deadLetters, page.now, 'endpoint');
  const doneKey = page.query.get('done') ?? '';
  const done = DONE[doneKey]?.(Math.max(0, Number(page.query.get('count')) || 0));
  const waiting = deadLetters.filter((d) => deadState(d) === 'dead').length;
  const csrf = page.viewer.csrfToken;

  const deadRows = await Promise.all(
    deadLetters.map(async (d) => {
      const state = deadState(d);
      return html`<tr><td>${d.eventType}<div class="hint mono">${d.eventId}</div></td><td>${await dirName(d.directoryId)}</td><td class="num">${d.attempts}</td><td>${d.lastError ?? html`<span class="muted">none recorded</span>`}</td><td>${time(d.diedAt, page.now)}</td><td>${
        state === 'queued' ? badge('Queued', 'warn') : state === 'redelivered' ? html`${badge('Redelivered', 'ok')} <span class="hint">${time(d.redeliveredAt!, page.now)}</span>` : badge('Dead', 'bad')
      }</td><td>${
        state === 'queued'
          ? ''
          : postForm(endpointHref(page, endpoint.id, '/redeliver'), csrf, html`<input type="hidden" name="eventId" value="${d.eventId}"><button type="submit" class="small${state === 'redelivered' ? ' secondary' : ''}" aria-label="Redeliver event ${d.eventId}">${state === 'redelivered' ? 'Send again' : 'Redeliver'}</button>`)
      }</td></tr>`;
    }),
  );
  const attemptRows = await Promise.all(
    attempts.map(async (a) => {
      const outcome = OUTCOME[a.outcome];
      return html`<tr><td>${time(a.at, page.now)}</td><td>${a.eventType}<div class="hint mono">${a.eventId}</div></td><td class="optional">${await dirName(a.directoryId)}</td><td class="num">${a.attempt}</td><td>${badge(outcome.text, outcome.tone)}</td><td class="num">${a.statusCode ?? '-'}</td><td class="num optional">${Math.round(a.durationMs)} ms</td><td>${a.error ?? ''}</td></tr>`;
    }),
  );

  const next = !endpoint.enabled;
  const toggle: HtmlValue = postForm(
    endpointHref(page, endpoint.id, '/enabled'),
    csrf,
    html`<input type="hidden" name="enabled" value="${next ? 'true' : 'false'}"><button type="submit" role="switch" aria-checked="${endpoint.enabled ? 'true' : 'false'}"${next ? '' : html` class="danger"`}>${next ? 'Enable' : 'Disable'}</button>`,
    { label: 'Endpoint enabled' },
  );

  return page.page(
    `Webhook ${endpoint.url}`,
    html`<h1>Webhook endpoint <span class="mono">${endpoint.url}</span></h1>
${done ? notice(done.tone, html`<p>${done.text}</p>`) : ''}
<div class="grid">
<section class="panel" aria-labelledby="endpoint-h">
<h2 id="endpoint-h">Endpoint</h2>
<dl class="kv">
<dt>Id</dt><dd class="mono">${endpoint.id}</dd>
<dt>Organization</dt><dd>${scope}</dd>
<dt>Events</dt><dd>${typesOf(endpoint.eventTypes)}</dd>
<dt>Created</dt><dd>${time(endpoint.createdAt, page.now)}</dd>
</dl>
<div class="switch"><span>This endpoint is <strong>${endpoint.enabled ? 'Enabled' : 'Disabled'}</strong></span>${toggle}</div>
<p class="hint">Disabled, it receives nothing; enabled again, it receives the events from then on.</p>
</section>
<section class="panel" aria-labelledby="delivery-h">
<h2 id="delivery-h">Delivery</h2>
<p class="health">${badge(status.headline, status.tone)}</p>
<p>${status.detail}</p>
</section>
</div>
<h2 id="dead-h">Dead letters</h2>
${deadLetters.length === 0
  ? html`<p class="muted">None: no event has run out of retries.</p>`
  : html`<p>Events whose last try failed after every retry. Redelivery sends them again with the same webhook-id and body, outside the stream's order; a failed redelivery stays dead.</p>
${waiting > 0
  ? html`<form method="post" action="${endpointHref(page, endpoint.id, '/redeliver')}" class="actions" data-confirm="${`Redeliver ${waiting} dead ${waiting === 1 ? 'event' : 'events'}?`}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="all" value="1"><button type="submit">Redeliver all (${waiting})</button></form>`
  : ''}
<div class="table-wrap"><table aria-labelledby="dead-h"><thead><tr><th scope="col">Event</th><th scope="col">Directory</th><th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Died</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead><tbody>${deadRows}</tbody></table></div>`}
<h2 id="attempts-h">Recent attempts</h2>
${attempts.length === 0
  ? html`<p class="muted">No delivery attempt yet.</p>`
  : html`<p class="hint">The latest ${attempts.length} ${attempts.length === 1 ? 'attempt' : 'attempts'}, newest first.</p><div class="table-wrap"><table aria-labelledby="attempts-h"><thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col" class="optional">Directory</th><th scope="col">Try</th><th scope="col">Outcome</th><th scope="col">Status</th><th scope="col" class="optional">Duration</th><th scope="col">Error</th></tr></thead><tbody>${attemptRows}</tbody></table></div>`}`,
    { crumbs: [{ href: page.paths.console(), label: 'Console' }, { href: page.paths.console('/webhooks'), label: 'Webhooks' }] },
  );
}

export const webhookRoutes: PortalRoute[] = [
  { method: 'GET', path: '/console/webhooks', consoleOnly: true, handle: (page) => webhookList(page) },
  { method: 'GET', path: '/console/webhooks/{endpoint}', consoleOnly: true, handle: (page) => endpointPage(page) },
  {
    method: 'POST',
    path: '/console/webhooks/{endpoint}/redeliver',
    consoleOnly: true,
    async handle(page) {
      const endpointId = page.params['endpoint']!;
      // "Redeliver all" posts all=1; a row's "Redeliver" posts its eventId.
      const all = page.form.get('all') === '1';
      const { queued } = await redeliver(page.ctx, { endpointId, eventId: all ? undefined : page.form.get('eventId') ?? undefined, allDead: all });
      return page.redirect(`${endpointHref(page, endpointId)}?done=queued&count=${queued}`);
    },
  },
  {
    method: 'POST',
    path: '/console/webhooks/{endpoint}/enabled',
    consoleOnly: true,
    async handle(page) {
      const endpointId = page.params['endpoint']!;
      const enabled = page.form.get('enabled') === 'true';
      await updateWebhookEndpoint(page.ctx, endpointId, { enabled });
      return page.redirect(`${endpointHref(page, endpointId)}?done=${enabled ? 'enabled' : 'disabled'}`);
    },
  },
];
