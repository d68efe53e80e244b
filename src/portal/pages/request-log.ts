/**
 * The request log of a directory: every SCIM request the identity provider sent, newest first,
 * 50 a page (keyset: "Older" continues below the last id shown). Filters in a GET form: errors
 * only, method, and a text search over path, query and body (a user's id or userName finds
 * every request about them). A failed request shows, under its row, what went wrong in plain
 * words and how to fix it in the provider's own terms (explain-request.ts), the app's answer,
 * and the request body as logged (secrets already redacted when it was recorded).
 */
import { STATUS_CODES } from 'node:http';
import type { RequestLogEntry, RequestLogQuery } from '../../app/ports.js';
import type { HttpResponse } from '../../http/types.js';
import { badge, time, type Tone } from '../components.js';
import { directoryHref, directoryPage } from '../directory-frame.js';
import { explainRequest } from '../explain-request.js';
import { describeHealth, providerName } from '../health.js';
import { html, type Html } from '../html.js';
import { scope, type PageContext, type PortalRoute } from '../page-context.js';

export const LOG_PAGE_SIZE = 50;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const MAX_SEARCH = 200;

/** The filters as the query string gave them, normalised (an unknown method means any). */
interface LogFilters {
  errorsOnly: boolean;
  method: string;
  q: string;
  before: string;
}

function readFilters(query: URLSearchParams): LogFilters {
  const method = (query.get('method') ?? '').toUpperCase();
  return {
    errorsOnly: query.get('errors') === '1',
    method: (METHODS as readonly string[]).includes(method) ? method : '',
    q: (query.get('q') ?? '').trim().slice(0, MAX_SEARCH),
    before: (query.get('before') ?? '').slice(0, 100),
  };
}

/** The query string of the filters (and a cursor), without empty values. */
function filterQuery(f: LogFilters, before?: string): string {
  const q = new URLSearchParams();
  if (f.errorsOnly) q.set('errors', '1');
  if (f.method) q.set('method', f.method);
  if (f.q) q.set('q', f.q);
  if (before) q.set('before', before);
  const text = q.toString();
  return text ? `?${text}` : '';
}

export function statusTone(status: number): Tone {
  if (status >= 500) return 'bad';
  // The connection itself is broken (token, directory switched off): as bad as a server error.
  if (status === 401 || status === 403) return 'bad';
  if (status >= 400) return 'warn';
  if (status >= 200 && status < 300) return 'ok';
  return 'muted';
}

const statusBadge = (status: number): Html => badge(`${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`, statusTone(status));

function duration(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The path below the directory's SCIM base (`/Users/usr_1`), or the whole path when it is elsewhere. */
function shortPath(path: string, directoryId: string): string {
  const base = `/scim/v2/${directoryId}`;
  const at = path.indexOf(base);
  if (at < 0) return path;
  return path.slice(at + base.length) || '/';
}

/** The body as logged, indented when it is JSON. */
function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function entryRows(page: PageContext, entry: RequestLogEntry): Html {
  const { directory } = scope(page);
  const failed = entry.status >= 400;
  const explanation = failed ? explainRequest(entry, directory.provider) : null;
  const path = shortPath(entry.path, directory.id);
  const main = html`<tr class="${failed ? 'log-row failed' : 'log-row'}" id="req-${entry.id}">
<td>${time(entry.at, page.now)}</td>
<td class="mono">${entry.method}</td>
<td class="mono log-path" title="${entry.path}">${path}${entry.query ? html`<span class="muted">?${entry.query}</span>` : ''}</td>
<td>${statusBadge(entry.status)}</td>
<td class="num optional">${duration(entry.durationMs)}</td>
<td class="mono optional">${entry.clientIp ?? html`<span class="muted">unknown</span>`}</td>
</tr>`;
  const body = entry.requestBody
    ? html`<details class="log-body"><summary>Request body <span class="sr-only">of ${entry.method} ${path}</span></summary><pre>${prettyBody(entry.requestBody)}</pre></details>`
    : '';
  if (!failed && !body) return main;
  const detail = failed
    ? html`<p class="log-detail"><span class="hint">The app answered${entry.scimType ? html` (<code>${entry.scimType}</code>)` : ''}:</span> ${entry.detail ? html`<q>${entry.detail}</q>` : html`<span class="muted">no detail</span>`} <span class="hint">Request id <code>${entry.requestId}</code></span></p>`
    : '';
  const explain = explanation
    ? html`<div class="explain"><p><strong>What happened:</strong> ${explanation.summary}</p>${explanation.fix ? html`<div class="fix"><strong>How to fix it</strong>${explanation.fix}</div>` : ''}</div>`
    : '';
  return html`${main}
<tr class="${failed ? 'log-more failed' : 'log-more'}"><td colspan="6">${explain}${detail}${body}</td></tr>`;
}

async function requestLogPage(page: PageContext): Promise<HttpResponse> {
  const { directory } = scope(page);
  const { store } = page.ctx;
  await page.options.flushRequestLog();
  const filters = readFilters(page.query);
  const query: RequestLogQuery = {
    errorsOnly: filters.errorsOnly || undefined,
    method: filters.method || undefined,
    search: filters.q || undefined,
    beforeId: filters.before || undefined,
    // One more than a page: tells whether an older page exists.
    limit: LOG_PAGE_SIZE + 1,
  };
  const hourAgo = new Date(page.now.getTime() - 3_600_000).toISOString();
  const [found, summary] = await Promise.all([store.requestLog.list(directory.id, query), store.requestLog.summary(directory.id, hourAgo)]);
  const entries = found.slice(0, LOG_PAGE_SIZE);
  const older = found.length > LOG_PAGE_SIZE ? entries.at(-1)!.id : undefined;
  const health = describeHealth(directory, summary, page.now);
  const idp = providerName(directory.provider);
  const base = directoryHref(page, 'log');
  const filtered = filters.errorsOnly || filters.method !== '' || filters.q !== '';

  const empty = filters.before
    ? html`<p>No older requests${filtered ? ' match these filters' : ''}. <a href="${base}${filterQuery(filters)}">Back to the newest</a></p>`
    : filtered
      ? html`<p>No request matches these filters. <a href="${base}">Show every request</a></p>`
      : summary.total === 0
        ? html`<p>No request from ${idp} has arrived yet. When ${idp} sends its first request (for example with “Test API Credentials” or by assigning a person), it appears here within seconds.</p>`
        : html`<p>No request to show.</p>`;

  return directoryPage(
    page,
    'log',
    'Request log',
    html`<section class="panel" aria-labelledby="log-health-h">
<h2 id="log-health-h" class="panel-title">Connection</h2>
<p class="health">${badge(health.headline, health.tone)}</p>
<p>${health.detail}</p>
</section>
<form method="get" action="${base}" class="search" role="search" aria-label="Filter requests">
<div class="field"><label for="log-q">User or text</label><input type="search" id="log-q" name="q" value="${filters.q}" maxlength="${MAX_SEARCH}" placeholder="user id, userName or any text" spellcheck="false" autocomplete="off"></div>
<div class="field"><label for="log-method">Method</label><select id="log-method" name="method"><option value=""${filters.method === '' ? html` selected` : ''}>Any</option>${METHODS.map(
      (m) => html`<option value="${m}"${filters.method === m ? html` selected` : ''}>${m}</option>`,
    )}</select></div>
<label class="check" for="log-errors"><input type="checkbox" id="log-errors" name="errors" value="1"${filters.errorsOnly ? html` checked` : ''}> Errors only</label>
<div class="field"><button type="submit">Filter</button></div>
${filtered ? html`<div class="field"><a href="${base}">Clear filters</a></div>` : ''}
</form>
<p class="hint">The search looks in each request's path, query and body: paste a user's id or userName to see every request about them. Newest first, ${LOG_PAGE_SIZE} to a page.</p>
${entries.length === 0
  ? empty
  : html`<div class="table-wrap"><table class="log"><caption class="sr-only">SCIM requests from ${idp}, newest first${filters.before ? ', older page' : ''}</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Method</th><th scope="col">Path</th><th scope="col">Status</th><th scope="col" class="optional">Duration</th><th scope="col" class="optional">Client IP</th></tr></thead>
<tbody>${entries.map((e) => entryRows(page, e))}</tbody></table></div>
<nav class="pager" aria-label="Pages of the request log">${filters.before ? html`<a href="${base}${filterQuery(filters)}">Newest</a>` : ''}${
      older ? html`<a href="${base}${filterQuery(filters, older)}" rel="next">Older</a>` : html`<span class="muted">No older requests.</span>`
    }</nav>`}`,
  );
}

export const requestLogRoutes: PortalRoute[] = [{ method: 'GET', path: '/o/{org}/d/{dir}/log', handle: (page) => requestLogPage(page) }];
