/**
 * The SaaS developer's console logins. `scimitar admin create` makes one (with a generated
 * password unless one is given); signing in checks the password in constant time and opens a
 * console session, which may see every organization.
 */
import { randomBytes } from 'node:crypto';
import { ServiceError } from '../../domain/errors.js';
import type { AppContext } from '../context.js';
import { decoyHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
import { newSession, type OpenedSession } from './sessions.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface CreatedAdminUser {
  id: string;
  email: string;
  /** Present when the password was generated: shown once. */
  generatedPassword?: string;
}

function assertPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ServiceError('invalid_value', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 1024) throw new ServiceError('invalid_value', 'the password is too long (at most 1024 characters)');
}

export async function createAdminUser(ctx: AppContext, input: { email: string; password?: string }): Promise<CreatedAdminUser> {
  const email = input.email.trim();
  if (!EMAIL.test(email) || email.length > 320) throw new ServiceError('invalid_value', `"${input.email}" is not an email address`);
  const generatedPassword = input.password === undefined ? randomBytes(18).toString('base64url') : undefined;
  const password = input.password ?? generatedPassword!;
  assertPassword(password);
  if (await ctx.store.portal.findAdminByEmail(email)) throw new ServiceError('uniqueness_conflict', `an admin login for ${email} already exists`);
  const id = ctx.ids.next('adm');
  await ctx.store.portal.insertAdmin({ id, email, passwordHash: await hashPassword(password), createdAt: ctx.clock.now().toISOString(), lastLoginAt: null });
  return generatedPassword ? { id, email, generatedPassword } : { id, email };
}

export async function setAdminPassword(ctx: AppContext, input: { email: string; password: string }): Promise<void> {
  assertPassword(input.password);
  const admin = await ctx.store.portal.findAdminByEmail(input.email.trim());
  if (!admin) throw new ServiceError('not_found', `no admin login for ${input.email}`);
  await ctx.store.portal.setAdminPassword(admin.id, await hashPassword(input.password));
}

/** Signs in with email and password; the same failure whether the email is unknown or the password wrong. */
export async function signInAdmin(ctx: AppContext, input: { email: string; password: string; sessionLifetimeMs: number }): Promise<OpenedSession> {
  const admin = input.email.length <= 320 && input.password.length <= 1024 ? await ctx.store.portal.findAdminByEmail(input.email.trim()) : undefined;
  const ok = await verifyPassword(input.password.slice(0, 1024), admin?.passwordHash ?? (await decoyHash()));
  if (!admin || !ok) throw new ServiceError('unauthenticated', 'the email or password is not correct');
  const opened = newSession(ctx, { kind: 'console', adminUserId: admin.id }, input.sessionLifetimeMs);
  await ctx.store.transaction(async (tx) => {
    await tx.portal.markAdminLogin(admin.id, ctx.clock.now().toISOString());
    await tx.portal.insertSession(opened.session);
  });
  return opened;
}
