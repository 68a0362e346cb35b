import { DataSource } from 'typeorm';
import { accountProblem, isOneOf, loadConfig, passwordProblem, ROLES } from '@hotline/shared';
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

/** The password from HOTLINE_USER_PASSWORD, held to the rules the administrator's API holds it to. */
function newPassword(env: string, username: string): string {
  const pw = process.env.HOTLINE_USER_PASSWORD ?? '';
  const problem = passwordProblem(pw, username, env === 'production' ? [DEMO_PASSWORD] : []);
  if (problem) throw new Error(`HOTLINE_USER_PASSWORD: ${problem.detail}`);
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
      const account = {
        username,
        displayName: name.join(' ') || username,
        role: role ?? '',
        unitId: unit && unit !== '-' ? unit : null,
      };
      const problem = accountProblem(account);
      if (problem) throw new Error(`${problem.field}: ${problem.detail}`);
      if (!isOneOf(ROLES, account.role)) throw new Error(`role must be one of: ${ROLES.join(', ')}`);
      await users.create({
        ...account,
        role: account.role,
        passwordHash: await hashPassword(newPassword(env, username)),
      });
      return `${username}: created (${role})`;
    }
    case 'password':
      return found(
        await users.setPasswordHash(username, await hashPassword(newPassword(env, username))),
        'password changed, tokens revoked',
      );
    case 'deactivate': {
      const done = await users.setActive(username, false);
      if (done === 'last_admin')
        throw new Error(`${username} is the last active administrator: activate or create another one first`);
      return found(done, 'deactivated, tokens revoked');
    }
    case 'activate':
      return found((await users.setActive(username, true)) === true, 'activated');
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
