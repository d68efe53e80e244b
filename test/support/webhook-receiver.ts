/**
 * A local webhook sink on 127.0.0.1 for delivery tests: records every request with its exact
 * body bytes and headers, answers with a programmable status (or hangs), and tracks requests
 * in flight per webhook-id so a test can prove no two deliveries of one event overlapped.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedWebhook {
  /** The request path and query, so one receiver can serve several endpoints (`${url}?ep=a`). */
  path: string;
  id: string;
  timestamp: string;
  signature: string;
  /** The body exactly as received. */
  body: string;
  headers: IncomingHttpHeaders;
  /** The parsed body (the DirectoryEvent). */
  event: { id: string; type: string; sequence: number; directoryId: string; organizationId: string; occurredAt: string; data: any };
  /** The status answered. */
  status: number;
}

/** Returns the status to answer, or 'hang' to never answer (the sender's timeout fires). */
export type Responder = (hook: Omit<ReceivedWebhook, 'status'>) => number | 'hang' | Promise<number | 'hang'>;

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** webhook-ids that arrived while a delivery with the same id was still being answered. */
  overlaps: string[];
  /** Most requests in flight at once (across ids). */
  maxInFlight: number;
  respond(responder: Responder): void;
  /** Distinct webhook-ids answered with 2xx. */
  deliveredIds(): Set<string>;
  waitFor(predicate: (received: ReceivedWebhook[]) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(responder: Responder = () => 200): Promise<WebhookReceiver> {
  let respond = responder;
  const received: ReceivedWebhook[] = [];
  const overlaps: string[] = [];
  const inFlight = new Map<string, number>();
  let current = 0;
  let maxInFlight = 0;
  const hanging = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    const id = String(req.headers['webhook-id'] ?? '');
    const count = inFlight.get(id) ?? 0;
    if (count > 0) overlaps.push(id);
    inFlight.set(id, count + 1);
    maxInFlight = Math.max(maxInFlight, ++current);
    const done = () => {
      current--;
      const left = (inFlight.get(id) ?? 1) - 1;
      if (left === 0) inFlight.delete(id);
      else inFlight.set(id, left);
    };
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let event: ReceivedWebhook['event'];
      try {
        event = JSON.parse(body);
      } catch {
        event = undefined as never;
      }
      const hook = { path: req.url ?? '', id, timestamp: String(req.headers['webhook-timestamp'] ?? ''), signature: String(req.headers['webhook-signature'] ?? ''), body, headers: req.headers, event };
      const status = await respond(hook);
      if (status === 'hang') {
        // Counted as in flight until the client gives up and closes the connection.
        const release = () => {
          hanging.delete(release);
          done();
        };
        hanging.add(release);
        res.on('close', release);
        return;
      }
      received.push({ ...hook, status });
      done();
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 200 && status < 300 ? 'ok' : `receiver says ${status}`);
    });
  });
  // Node's default keep-alive timeout (5 s) is fine; the sender reuses connections.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    overlaps,
    get maxInFlight() {
      return maxInFlight;
    },
    respond(next) {
      respond = next;
    },
    deliveredIds() {
      return new Set(received.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.id));
    },
    async waitFor(predicate, timeoutMs = 20_000, what = 'the expected webhooks') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (received ${received.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
