/**
 * Presenting benchmark results: a table per target, a ratio table (Scimitar ops/s ÷ floor ops/s per
 * phase) per size, and the JSON file under .bench/. Pure formatting; no I/O except the JSON write.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import type { PhaseResult } from './okta-workload.js';

export type TargetName = 'floor' | 'sqlite' | 'postgres';

export interface TargetRun {
  target: TargetName;
  users: number;
  /** Per phase, the median repetition. */
  phases?: PhaseResult[];
  /** Every repetition, in order. */
  repetitions?: PhaseResult[][];
  skipped?: string;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function targetTable(run: TargetRun): string {
  const title = `${run.target} — ${fmt(run.users)} users`;
  if (!run.phases) return `${title}: skipped (${run.skipped ?? 'no result'})`;
  const rows = run.phases.map((p) => [p.phase, fmt(p.ops), p.seconds.toFixed(2), fmt(p.opsPerSec), p.p50Ms.toFixed(2), p.p99Ms.toFixed(2), fmt(p.errors)]);
  return `${title}\n${table(['phase', 'ops', 'seconds', 'ops/s', 'p50 ms', 'p99 ms', 'errors'], rows)}`;
}

/** Scimitar ops/s ÷ floor ops/s per phase, for one size. Undefined when the floor or every Scimitar target is missing. */
export function ratioTable(runs: TargetRun[]): string | undefined {
  const floor = runs.find((r) => r.target === 'floor')?.phases;
  const others = runs.filter((r) => r.target !== 'floor' && r.phases);
  if (!floor || others.length === 0) return undefined;
  const header = ['phase', 'floor ops/s', ...others.flatMap((r) => [`${r.target} ops/s`, '÷ floor', 'p99 ms'])];
  const rows = floor.map((f) => {
    const cells = others.flatMap((r) => {
      const p = r.phases!.find((x) => x.phase === f.phase);
      if (!p) return ['-', '-', '-'];
      return [fmt(p.opsPerSec), f.opsPerSec > 0 ? (p.opsPerSec / f.opsPerSec).toFixed(3) : '-', p.p99Ms.toFixed(2)];
    });
    return [f.phase, fmt(f.opsPerSec), ...cells];
  });
  return `Scimitar vs floor — ${fmt(runs[0].users)} users\n${table(header, rows)}`;
}

/** `extra` adds sections next to `runs` (e.g. the webhook delivery figures). */
export async function writeResults(dir: string, options: unknown, runs: TargetRun[], extra: Record<string, unknown> = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `results-${stamp}.json`);
  const meta = { node: process.version, platform: process.platform, cpus: cpus().length, cpuModel: cpus()[0]?.model };
  await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), meta, options, runs, ...extra }, null, 2)}\n`);
  return file;
}
