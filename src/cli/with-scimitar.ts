/** What every one-shot CLI command shares: open Scimitar on the configured database, act, close; print text or JSON. */
import type { Config } from '../config/config.js';
import { createScimitar, type Scimitar } from '../runtime/create-scimitar.js';

export async function withScimitar<T>(config: Readonly<Config>, work: (s: Scimitar) => Promise<T>): Promise<T> {
  const scimitar = await createScimitar({
    database: config.databaseUrl,
    publicUrl: config.publicUrl,
    tokenGraceHours: config.tokenGraceHours,
    // a one-shot command: no background upkeep and no webhook delivery worker
    maintenance: false,
    delivery: { enabled: false },
  });
  try {
    return await work(scimitar);
  } finally {
    await scimitar.close();
  }
}

export function print(json: boolean, value: unknown, text: string): void {
  console.log(json ? JSON.stringify(value, null, 2) : text);
}
