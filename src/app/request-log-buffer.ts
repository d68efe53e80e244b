/**
 * Collects SCIM request log entries and writes them in batches, off the request path: a
 * request never waits for its own log line. Entries reach the database within `flushMs`;
 * a crash loses at most that window of log lines (never directory changes or events).
 */
import type { RequestLog, RequestLogEntry } from './ports.js';

export interface RequestLogBufferOptions {
  maxEntries?: number;
  flushMs?: number;
  onError?: (error: unknown) => void;
}

export class RequestLogBuffer {
  private entries: RequestLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly maxEntries: number;
  private readonly flushMs: number;

  constructor(
    private readonly log: RequestLog,
    private readonly options: RequestLogBufferOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 200;
    this.flushMs = options.flushMs ?? 50;
  }

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length >= this.maxEntries) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes everything added so far; resolves when it is in the database. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.entries;
    this.entries = [];
    // Chain writes so batches land in order and flush() waits for earlier ones too.
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.log.recordMany(batch);
      } catch (error) {
        this.options.onError?.(error);
      }
    });
    return this.writing;
  }
}
