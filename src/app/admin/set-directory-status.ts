/** Switches a directory off (every SCIM call gets 403) and on again. */
import { ServiceError } from '../../domain/errors.js';
import type { Directory, DirectoryStatus } from '../../domain/model.js';
import type { AppContext } from '../context.js';
import { directoryRef } from '../directory/views.js';

export async function setDirectoryStatus(ctx: AppContext, input: { directoryId: string; status: string }): Promise<Directory> {
  if (input.status !== 'active' && input.status !== 'inactive') {
    throw new ServiceError('invalid_value', `status must be active or inactive (got "${input.status}")`);
  }
  const status: DirectoryStatus = input.status;
  const at = ctx.clock.now().toISOString();
  return ctx.store.transaction(async (tx) => {
    const directory = await tx.directories.findById(input.directoryId);
    if (!directory) throw new ServiceError('not_found', `directory ${input.directoryId} does not exist`);
    if (directory.status === status) return directory;
    await tx.directories.setStatus(directory.id, status, at);
    await tx.events.append(
      directory.id,
      directory.organizationId,
      [{ type: status === 'active' ? 'directory.activated' : 'directory.deactivated', data: { directory: directoryRef({ ...directory, status }) } }],
      at,
    );
    return { ...directory, status, updatedAt: at };
  });
}
