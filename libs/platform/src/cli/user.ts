import { DataSource } from 'typeorm';
import { isOneOf, loadConfig, ROLES } from '@hotline/shared';
import { hashPassword } from '../auth/password';
import { createDataSource } from '../db/data-source';
import { DEMO_PASSWORD } from '../db/seed';
import { LoginThrottleRepository } from '../repositories/login-throttle.repository';
import { UserRepository } from '../repositories/user.repository';

const USAGE = `usage: node libs/platform/dist/cli/user.js <command> <username> [...]
  create <username> <role> [unit] [display name]   password from HOTLINE_USER_PASSWORD
  password <username>                              new password from HOTLINE_USER_PASSWORD; revokes the user's tokens
  deactivate <username>                            the user can no longer log in; their tokens stop working within 30 s
  activate <username>
  revoke <username>                                the user's tokens stop working within 30 s (they log in again)
  unlock <username>                                clears the login lockout of the account
roles: ${ROLES.join(', ')}`;

const MIN_PASSWORD = 12;

function newPassword(env: string): string {
  const pw = process.env.HOTLINE_USER_PASSWORD ?? '';
  if (pw.length < MIN_PASSWORD)
    throw new Error(`HOTLINE_USER_PASSWORD must be at least ${MIN_PASSWORD} characters`);
  if (env === 'production' && pw === DEMO_PASSWORD)
    throw new Error('the demo password is for development and tests only');
  return pw;
}

async function run(ds: DataSource, env: string, [command, username, ...rest]: string[]): Promise<string> {
  if (!command || !username) throw new Error(USAGE);
  const users = new UserRepository(ds, 0);
  const found = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`no user ${username}`);
    return `${username}: ${what}`;
  };
  switch (command) {
    case 'create': {
      const [role, unit, ...name] = rest;
      if (!isOneOf(ROLES, role)) throw new Error(`role must be one of: ${ROLES.join(', ')}`);
      await users.create({
        username,
        displayName: name.join(' ') || username,
        passwordHash: await hashPassword(newPassword(env)),
        role,
        unitId: unit && unit !== '-' ? unit : null,
      });
      return `${username}: created (${role})`;
    }
    case 'password':
      return found(
        await users.setPasswordHash(username, await hashPassword(newPassword(env))),
        'password changed, tokens revoked',
      );
    case 'deactivate':
      return found(await users.setActive(username, false), 'deactivated, tokens revoked');
    case 'activate':
      return found(await users.setActive(username, true), 'activated');
    case 'revoke':
      return found(await users.revokeTokens(username), 'tokens revoked');
    case 'unlock':
      await new LoginThrottleRepository(ds).clear('account', `login:${username.trim().toLowerCase()}`);
      return `${username}: login lockout cleared`;
    default:
      throw new Error(USAGE);
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const ds = await createDataSource(config.databaseUrl, {
    poolSize: 1,
    applicationName: 'hotline-user',
  }).initialize();
  try {
    console.log(`user: ${await run(ds, config.env, process.argv.slice(2))}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(`user: ${(err as Error).message}`);
  process.exit(1);
});
