/**
 * Group commit for SQLite. SQLite runs one writer at a time and its COMMIT is the dearest
 * statement of a write (WAL frames for every page touched). Units of work that arrive while a
 * transaction is open join it, each inside its own SAVEPOINT: a unit that fails rolls back to
 * its savepoint alone, and every unit is answered only after the shared COMMIT succeeded. So
 * each unit keeps all-or-nothing semantics, and a burst of N writes pays for one COMMIT.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

interface Unit<T> {
  work: (db: Kysely<Database>) => Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/** Most units one COMMIT may carry, so a steady stream of writes still commits regularly. */
const MAX_UNITS_PER_COMMIT = 64;

export function createGroupCommit(db: Kysely<Database>) {
  const queue: Unit<any>[] = [];
  let running = false;

  async function runBatch(conn: Kysely<Database>): Promise<void> {
    const done: { unit: Unit<any>; ok: boolean; value: unknown }[] = [];
    await sql`begin immediate`.execute(conn);
    try {
      while (queue.length > 0 && done.length < MAX_UNITS_PER_COMMIT) {
        const unit = queue.shift()!;
        await sql`savepoint unit`.execute(conn);
        try {
          const value = await unit.work(conn);
          await sql`release unit`.execute(conn);
          done.push({ unit, ok: true, value });
        } catch (error) {
          await sql`rollback to unit`.execute(conn);
          await sql`release unit`.execute(conn);
          done.push({ unit, ok: false, value: error });
        }
      }
      await sql`commit`.execute(conn);
    } catch (error) {
      // The shared transaction itself failed (e.g. the disk is full): nothing was written.
      await sql`rollback`.execute(conn).catch(() => {});
      for (const d of done) d.unit.reject(error);
      return;
    }
    for (const d of done) (d.ok ? d.unit.resolve : d.unit.reject)(d.value);
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (queue.length > 0) await db.connection().execute(runBatch);
    } finally {
      running = false;
    }
  }

  return function transaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve, reject });
      if (!running) {
        drain().catch((error: unknown) => {
          // Could not even open a connection: fail everyone still waiting.
          for (const unit of queue.splice(0)) unit.reject(error);
        });
      }
    });
  };
}
