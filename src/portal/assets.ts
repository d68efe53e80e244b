/**
 * The portal's static files (one stylesheet, one script), read once and served under a
 * content-hashed name so browsers may cache them for a year. Nothing comes from a CDN.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { HttpResponse } from '../http/types.js';

interface Asset {
  name: string;
  body: string;
  type: string;
}

const SOURCES = [
  { file: 'portal.css', type: 'text/css; charset=utf-8' },
  { file: 'portal.js', type: 'text/javascript; charset=utf-8' },
] as const;

export class PortalAssets {
  private readonly byName = new Map<string, Asset>();
  /** Hashed name of each source file: 'portal.css' -> 'portal.3f2a1c9e.css'. */
  readonly names: Record<(typeof SOURCES)[number]['file'], string>;

  constructor() {
    const names: Record<string, string> = {};
    for (const source of SOURCES) {
      // Next to this module in src/ (tsx) and in dist/ (copied by scripts/copy-assets.mjs).
      const body = readFileSync(new URL(`./assets/${source.file}`, import.meta.url), 'utf8');
      const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
      const name = source.file.replace(/\.(\w+)$/, `.${hash}.$1`);
      this.byName.set(name, { name, body, type: source.type });
      names[source.file] = name;
    }
    this.names = names as PortalAssets['names'];
  }

  serve(name: string): HttpResponse | undefined {
    const asset = this.byName.get(name);
    if (!asset) return undefined;
    return {
      status: 200,
      headers: { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' },
      body: asset.body,
    };
  }
}
