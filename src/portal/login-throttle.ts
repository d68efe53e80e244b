/**
 * Slows password guessing on the console sign-in: after 10 failures for one email (or 50 from
 * one address) within 15 minutes, further attempts wait until the window has passed. In memory:
 * per process, which bounds guessing well enough for a login only the developer's team uses.
 */
const WINDOW_MS = 15 * 60_000;
const PER_EMAIL = 10;
const PER_ADDRESS = 50;

interface Counter {
  failures: number;
  since: number;
}

export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();

  /** Milliseconds to wait before another attempt; 0 when allowed. */
  blockedFor(email: string, ip: string | null, now: number): number {
    let wait = 0;
    for (const [key, limit] of this.keys(email, ip)) {
      const counter = this.counters.get(key);
      if (counter && now - counter.since < WINDOW_MS && counter.failures >= limit) wait = Math.max(wait, counter.since + WINDOW_MS - now);
    }
    return wait;
  }

  failed(email: string, ip: string | null, now: number): void {
    if (this.counters.size > 10_000) this.prune(now);
    for (const [key] of this.keys(email, ip)) {
      const counter = this.counters.get(key);
      if (!counter || now - counter.since >= WINDOW_MS) this.counters.set(key, { failures: 1, since: now });
      else counter.failures++;
    }
  }

  /** A correct password clears the email's failures (the address keeps its count). */
  succeeded(email: string): void {
    this.counters.delete(`email:${email.trim().toLowerCase()}`);
  }

  private keys(email: string, ip: string | null): [string, number][] {
    const keys: [string, number][] = [[`email:${email.trim().toLowerCase()}`, PER_EMAIL]];
    if (ip) keys.push([`ip:${ip}`, PER_ADDRESS]);
    return keys;
  }

  private prune(now: number): void {
    for (const [key, counter] of this.counters) if (now - counter.since >= WINDOW_MS) this.counters.delete(key);
  }
}
