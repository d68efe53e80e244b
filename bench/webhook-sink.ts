/**
 * The benchmark's webhook receiver, run as its own process so that answering webhooks never
 * slows the process that drives (and times) the SCIM traffic. It answers 200, counts distinct
 * webhook-ids, and can hold requests unanswered (to build a backlog). Control routes under
 * /_sink/ (stats, reset, hold, release); times are epoch milliseconds with sub-ms precision.
 * Prints {"url": ...} once listening.
 */
import { createServer, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

const now = () => performance.timeOrigin + performance.now();
let ids = new Set<string>();
let lastAt = 0;
let holding = false;
const held: { id: string; res: ServerResponse }[] = [];

function answer(id: string, res: ServerResponse): void {
  ids.add(id);
  lastAt = now();
  res.writeHead(200).end();
}

function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    switch (req.url) {
      case '/_sink/stats':
        return json(res, { count: ids.size, lastAt });
      case '/_sink/reset':
        ids = new Set();
        lastAt = 0;
        return json(res, {});
      case '/_sink/hold':
        holding = true;
        return json(res, {});
      case '/_sink/release': {
        holding = false;
        const releasedAt = now();
        for (const h of held.splice(0)) answer(h.id, h.res);
        return json(res, { releasedAt });
      }
      default: {
        const id = String(req.headers['webhook-id'] ?? '');
        if (holding) held.push({ id, res });
        else answer(id, res);
      }
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const port = (server.address() as { port: number }).port;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
