/**
 * Shared by the SSO connection suites: a local HTTP server that serves an IdP's metadata document
 * (replaceable, for rollovers), and the documents of the test IdPs of test/support/saml-idp.ts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetadataServer {
  /** `${base}/metadata`: serves the current document. */
  url: string;
  base: string;
  /** Replaces what /metadata serves. */
  set(xml: string): void;
  /** How many times /metadata was read. */
  reads(): number;
  close(): Promise<void>;
}

/** Serves `xml` at /metadata, HTML at /html and a 404 at anything else. */
export async function startMetadataServer(xml: string): Promise<MetadataServer> {
  let current = xml;
  let reads = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === '/metadata') {
      reads += 1;
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(current);
    } else if (req.url === '/html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Sign in to Okta</body></html>');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/metadata`,
    base,
    set: (next) => void (current = next),
    reads: () => reads,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
