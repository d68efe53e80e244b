/**
 * The runtime's metadata URL reader (runtime/fetch-metadata.ts) against a real local HTTP server:
 * the document comes back; a slow server times out after 5 s; a huge body is cut off while it streams
 * (and a huge Content-Length before); 404, redirects to file:, redirect loops, other schemes and
 * refused connections are clear invalid_value errors that never quote the body.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceError } from '../../src/domain/errors.js';
import { createMetadataFetcher } from '../../src/runtime/fetch-metadata.js';
import { createTestIdp } from '../support/saml-idp.js';

const idp = createTestIdp({ style: 'okta' });
const METADATA = idp.metadataXml();
const MiB = 1024 * 1024;

async function expectFailure(promise: Promise<unknown>, message: RegExp): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ServiceError, `a ServiceError, got ${String(error)}`);
    assert.equal(error.code, 'invalid_value');
    assert.match(error.detail, message);
    return error;
  }
  assert.fail(`expected a failure matching ${message}`);
}

describe('reading a metadata URL', () => {
  let server: Server;
  let base: string;
  let slowResponses: ServerResponse[] = [];
  const hits = new Map<string, number>();

  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      switch (path) {
        case '/metadata':
          res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(METADATA);
          return;
        case '/bom':
          res.writeHead(200, { 'content-type': 'text/xml' }).end(`\uFEFF${METADATA}`);
          return;
        case '/slow-headers':
          slowResponses.push(res); // never answers
          return;
        case '/slow-body':
          res.writeHead(200, { 'content-type': 'text/xml' });
          res.write('<?xml version="1.0"?>');
          slowResponses.push(res); // starts, never finishes
          return;
        case '/huge-streamed': {
          // 2 MiB, chunked (no Content-Length): only counting while reading catches it.
          res.writeHead(200, { 'content-type': 'text/xml' });
          const chunk = Buffer.alloc(64 * 1024, 'a');
          let sent = 0;
          const pump = () => {
            while (sent < 2 * MiB) {
              sent += chunk.length;
              if (!res.write(chunk)) return void res.once('drain', pump);
            }
            res.end();
          };
          res.on('error', () => {});
          pump();
          return;
        }
        case '/huge-declared':
          res.writeHead(200, { 'content-type': 'text/xml', 'content-length': String(5 * MiB) });
          res.write('<x>');
          res.on('error', () => {});
          slowResponses.push(res);
          return;
        case '/exactly-limit':
          res.writeHead(200).end(Buffer.alloc(MiB, 'b'));
          return;
        case '/not-found':
          res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>secret internal page</h1>');
          return;
        case '/html':
          res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>sign in</body></html>');
          return;
        case '/to-file':
          res.writeHead(302, { location: 'file:///etc/passwd' }).end();
          return;
        case '/to-ftp':
          res.writeHead(301, { location: 'ftp://example.com/metadata.xml' }).end();
          return;
        case '/hop1':
          res.writeHead(302, { location: '/hop2' }).end();
          return;
        case '/hop2':
          res.writeHead(307, { location: `${base}/hop3` }).end();
          return;
        case '/hop3':
          res.writeHead(308, { location: '/metadata' }).end();
          return;
        case '/loop':
          res.writeHead(302, { location: '/loop' }).end();
          return;
        default:
          res.writeHead(500).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const res of slowResponses) res.destroy();
    slowResponses = [];
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const fetchMetadata = createMetadataFetcher();

  test('returns the document', async () => {
    assert.equal(await fetchMetadata(`${base}/metadata`), METADATA);
  });

  test('drops a byte order mark', async () => {
    assert.equal(await fetchMetadata(`${base}/bom`), METADATA);
  });

  test('follows up to 3 redirects, relative and absolute', async () => {
    assert.equal(await fetchMetadata(`${base}/hop1`), METADATA);
  });

  test('a 4th redirect is refused', async () => {
    hits.delete('/loop');
    await expectFailure(fetchMetadata(`${base}/loop`), /^could not read the metadata URL: more than 3 redirects$/);
    assert.equal(hits.get('/loop'), 4, 'the first request and three redirects');
  });

  test('a redirect to file: or ftp: is refused without following it', async () => {
    await expectFailure(fetchMetadata(`${base}/to-file`), /^could not read the metadata URL: the server redirected to an address that is a file: URL; only http and https are allowed$/);
    await expectFailure(fetchMetadata(`${base}/to-ftp`), /redirected to an address that is a ftp: URL/);
  });

  test('only http and https URLs are read', async () => {
    await expectFailure(fetchMetadata('file:///etc/passwd'), /^could not read the metadata URL: the address is a file: URL; only http and https are allowed$/);
    await expectFailure(fetchMetadata('not a url'), /the address is not a URL/);
    await expectFailure(fetchMetadata(`http://user:pw@127.0.0.1:1/x`), /user name or password/);
  });

  test('a slow server times out after 5 s (headers never come)', async () => {
    const started = Date.now();
    await expectFailure(fetchMetadata(`${base}/slow-headers`), /^could not read the metadata URL: timed out after 5 s$/);
    const took = Date.now() - started;
    assert.ok(took >= 4900 && took < 7000, `took ${took} ms`);
  });

  test('one deadline covers the body too', async () => {
    const quick = createMetadataFetcher({ timeoutMs: 300 });
    await expectFailure(quick(`${base}/slow-body`), /^could not read the metadata URL: timed out after 0.3 s$/);
  });

  test('a body over 1 MiB is cut off while it streams; a Content-Length over it is refused before reading', async () => {
    await expectFailure(fetchMetadata(`${base}/huge-streamed`), /^could not read the metadata URL: the document is larger than 1 MiB$/);
    await expectFailure(fetchMetadata(`${base}/huge-declared`), /^could not read the metadata URL: the document is larger than 1 MiB$/);
    assert.equal((await fetchMetadata(`${base}/exactly-limit`)).length, MiB, 'exactly 1 MiB is allowed');
  });

  test('an HTTP error status is reported, the body is not', async () => {
    const error = await expectFailure(fetchMetadata(`${base}/not-found`), /^could not read the metadata URL: the server answered 404 Not Found$/);
    assert.doesNotMatch(error.detail, /secret/);
  });

  test('a refused connection is said in words', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expectFailure(fetchMetadata(`http://127.0.0.1:${port}/metadata`), /^could not read the metadata URL: the connection was refused$/);
  });

  test('a non-XML document comes back as text (the connection use case refuses it, see api.test.ts)', async () => {
    assert.match(await fetchMetadata(`${base}/html`), /^<!doctype html>/);
  });
});
