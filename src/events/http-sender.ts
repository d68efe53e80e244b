/**
 * Sends one signed webhook request: POST the given bytes over keep-alive node:http(s), with a
 * hard timeout covering the whole exchange (connect to last byte). Only a 2xx counts as
 * delivered; redirects are not followed (a 3xx is a failure, so a moved endpoint is noticed
 * instead of silently posting elsewhere). Never throws. node:http rather than fetch: the worker
 * shares the server's event loop with SCIM requests, and it costs about half the CPU per request.
 */
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface SendResult {
  ok: boolean;
  /** null when no response arrived (timeout, refused, reset). */
  statusCode: number | null;
  durationMs: number;
  /** Why it failed: the status and the start of the response body, or the network error. */
  error: string | null;
  /** The worker is stopping and cancelled the request: not an attempt, record nothing. */
  aborted: boolean;
}

export interface WebhookSender {
  send(request: WebhookRequest, options: { timeoutMs: number; signal?: AbortSignal }): Promise<SendResult>;
  /** Closes idle keep-alive connections. */
  close(): void;
}

export const USER_AGENT = 'Scimitar-Webhooks/1';
/** Enough of a failing response body to say why, small enough to keep in every attempt row. */
const ERROR_BODY_CHARS = 256;
/** Bodies past this are not read further (a receiver should answer with a few bytes). */
const MAX_BODY_BYTES = 64 * 1024;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error)) || 'request failed';

export function createHttpSender(): WebhookSender {
  // One keep-alive pool per scheme: a stream's requests go one after another to the same host.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return {
    send(request, { timeoutMs, signal }) {
      return new Promise<SendResult>((resolve) => {
        const started = performance.now();
        let settled = false;
        let timedOut = false;
        let req: http.ClientRequest | undefined;
        const finish = (partial: Omit<SendResult, 'durationMs' | 'aborted'>) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onStop);
          resolve({ ...partial, durationMs: Math.round((performance.now() - started) * 100) / 100, aborted: !timedOut && signal?.aborted === true });
        };
        const fail = (error: unknown) => finish({ ok: false, statusCode: null, error: timedOut ? `timed out after ${timeoutMs} ms` : describe(error) });
        const onStop = () => req?.destroy(new Error('stopped'));
        const timer = setTimeout(() => {
          timedOut = true;
          req?.destroy(new Error('timeout'));
        }, timeoutMs);
        if (signal?.aborted) return fail(new Error('stopped'));
        signal?.addEventListener('abort', onStop, { once: true });

        let url: URL;
        try {
          url = new URL(request.url);
        } catch (error) {
          return fail(error);
        }
        const secure = url.protocol === 'https:';
        const body = Buffer.from(request.body, 'utf8');
        try {
          req = (secure ? https : http).request(url, {
            method: 'POST',
            agent: secure ? agents.https : agents.http,
            headers: { ...request.headers, 'content-type': 'application/json', 'user-agent': USER_AGENT, 'content-length': body.length },
          });
        } catch (error) {
          return fail(error);
        }
        req.on('error', fail);
        req.on('response', (res) => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          const chunks: Buffer[] = [];
          let size = 0;
          const done = () => {
            const snippet = Buffer.concat(chunks).toString('utf8').trim().slice(0, ERROR_BODY_CHARS);
            finish({ ok, statusCode: status, error: ok ? null : `HTTP ${status}${snippet ? `: ${snippet}` : ''}` });
          };
          res.on('data', (chunk: Buffer) => {
            // Keep only what an error message needs; read the rest so the connection can be reused.
            if (!ok && size < MAX_BODY_BYTES) chunks.push(chunk);
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              done();
              res.destroy();
            }
          });
          res.on('end', done);
          res.on('error', fail);
        });
        req.end(body);
      });
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
