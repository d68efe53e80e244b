/**
 * Event retention: removes events older than the cutoff that every enabled endpoint's stream
 * has settled (an event still to be sent is kept however old), and the delivery history
 * (attempts, dead letters) older than the cutoff. Runs from the runtime's maintenance timer.
 */
import type { AppContext } from '../context.js';

export async function purgeExpiredEvents(ctx: Pick<AppContext, 'store'>, input: { before: Date }): Promise<{ events: number; history: number }> {
  const before = input.before.toISOString();
  let events = 0;
  for (const org of await ctx.store.organizations.list()) {
    for (const directory of await ctx.store.directories.listByOrganization(org.id)) {
      events += await ctx.store.deliveries.purgeEvents(directory.id, before);
    }
  }
  const history = await ctx.store.deliveries.purgeHistory(before);
  return { events, history };
}
