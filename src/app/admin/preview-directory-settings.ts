/**
 * What a settings change would do, before it is saved: who would gain or lose which role. The
 * change is made for real by the update's own code (directory-settings.ts writeSettingsChange)
 * inside a transaction that is then rolled back, so the preview and the update cannot disagree
 * and nothing is written: no settings, no roles, no events.
 *
 * Rolling back is safe on both databases. PostgreSQL: the transaction is this preview's alone.
 * SQLite: store.transaction runs each unit in its own SAVEPOINT of a shared group commit
 * (store/group-commit.ts), and a unit that throws is rolled back to its savepoint only, so the
 * SCIM writes committed in the same batch keep their changes.
 */
import type { DirectorySettings } from '../../domain/directory-settings.js';
import type { UserRef } from '../../domain/events.js';
import type { AppContext } from '../context.js';
import { parseUpdate, writeSettingsChange, type SettingsChange } from './directory-settings.js';

export interface RoleChangePreview {
  user: UserRef;
  role: string;
}

export interface DirectorySettingsPreview {
  /** The full settings the update would leave. */
  settings: DirectorySettings;
  /** Per user, in the order the update's role events would have; empty when the role rules do not change. */
  granted: RoleChangePreview[];
  revoked: RoleChangePreview[];
}

/** Carries the result out of the transaction it rolls back. */
class Rollback extends Error {
  constructor(readonly preview: DirectorySettingsPreview) {
    super('settings preview: rolled back on purpose');
  }
}

function previewOf(change: SettingsChange): DirectorySettingsPreview {
  const preview: DirectorySettingsPreview = { settings: change.settings, granted: [], revoked: [] };
  for (const event of change.roles?.events ?? []) {
    const { user, role } = event.data as { user: UserRef; role: string };
    if (event.type === 'user.role_granted') preview.granted.push({ user, role });
    else if (event.type === 'user.role_revoked') preview.revoked.push({ user, role });
  }
  return preview;
}

export async function previewDirectorySettings(ctx: AppContext, input: { directoryId: string; settings: unknown }): Promise<DirectorySettingsPreview> {
  // Validated first, with the update's own errors (invalid_value naming the bad value).
  const update = parseUpdate(input.settings);
  const at = ctx.clock.now().toISOString();
  try {
    await ctx.store.transaction(async (tx) => {
      throw new Rollback(previewOf(await writeSettingsChange(tx, input.directoryId, update, at)));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.preview;
    throw error;
  }
  throw new Error('settings preview: the transaction was not rolled back');
}
