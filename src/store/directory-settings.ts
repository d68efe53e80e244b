/**
 * directories.settings: the directory's mapping rules as JSON. The column is read with the
 * directory itself (tenants.ts), so SCIM requests know the rules without another query.
 */
import type { DirectorySettingsRepository } from '../app/ports.js';
import { DEFAULT_DIRECTORY_SETTINGS, readDirectorySettings, type DirectorySettings } from '../domain/directory-settings.js';
import type { RepoContext } from './db-types.js';

/** The settings held in the column; '{}' (every directory until an admin sets a rule) costs no parse. */
export function settingsFromColumn(text: string | null | undefined): DirectorySettings {
  if (!text || text === '{}') return DEFAULT_DIRECTORY_SETTINGS;
  try {
    return readDirectorySettings(JSON.parse(text));
  } catch {
    return DEFAULT_DIRECTORY_SETTINGS;
  }
}

export function createDirectorySettingsRepository({ db, dialect }: RepoContext): DirectorySettingsRepository {
  return {
    async find(directoryId, options) {
      let query = db.selectFrom('directories').select('settings').where('id', '=', directoryId);
      if (options?.forUpdate && dialect.supportsForUpdate) query = query.forUpdate();
      const row = await query.executeTakeFirst();
      return row ? settingsFromColumn(row.settings) : undefined;
    },
    async write(directoryId, settings, at) {
      await db.updateTable('directories').set({ settings: JSON.stringify(settings), updated_at: at }).where('id', '=', directoryId).execute();
    },
  };
}
