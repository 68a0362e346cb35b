import { returnedRows } from '../db/returned-rows';
import type { DataSource } from 'typeorm';
import type { Role, TokenUser } from '@hotline/shared';
import { queryPage } from './page';
import { nameActor, writeAs } from './admin-actor';
import type { AdminActor } from './admin-actor';
import type { RowsPage } from './page';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  unitId: string | null;
  active: boolean;
  tokenVersion: number;
}

/** A user as the administrator sees it: never the password's hash or the token version. */
export interface UserView {
  username: string;
  displayName: string;
  role: Role;
  unitId: string | null;
  unitLeader: boolean;
  active: boolean;
  createdAt: string;
}

const VIEW = `username, display_name AS "displayName", role, unit_id AS "unitId", unit_leader AS "unitLeader",
  active, created_at AS "createdAt"`;

/** Most entries the token-user cache keeps before it starts over (a bound, not a tuning knob). */
const MAX_CACHED_USERS = 10_000;

export class UserRepository {
  private readonly tokenUsers = new Map<string, { user: TokenUser | null; until: number }>();

  /** @param tokenUserTtlMs how long `findForToken` answers from memory (config.authUserCacheTtlMs, ≤ 30 s). */
  constructor(
    private readonly ds: DataSource,
    private readonly tokenUserTtlMs = 15_000,
  ) {}

  async findByUsername(username: string): Promise<UserRow | null> {
    const rows = await this.ds.query(
      `SELECT id, username, display_name AS "displayName", password_hash AS "passwordHash", role,
              unit_id AS "unitId", active, token_version AS "tokenVersion"
       FROM identity.users WHERE username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }

  /**
   * What the auth guard checks a token against: the user's role, unit (and whether that unit exists
   * and is active), active flag and token version. Cached per user for the TTL, so a deactivation
   * or a token-version bump made by another instance takes effect within it.
   */
  async findForToken(userId: string): Promise<TokenUser | null> {
    const now = Date.now();
    const hit = this.tokenUsers.get(userId);
    if (hit && hit.until > now) return hit.user;
    const rows: TokenUser[] = await this.ds.query(
      `SELECT u.id, u.role, u.unit_id AS "unitId", u.active, u.token_version AS "tokenVersion",
              u.unit_leader AS "unitLeader", u.display_name AS "displayName",
              (u.unit_id IS NULL OR coalesce(un.active, false)) AS "unitExists"
       FROM identity.users u LEFT JOIN catalog.units un ON un.id = u.unit_id
       WHERE u.id = $1`,
      [userId],
    );
    const user = rows[0] ?? null;
    if (this.tokenUserTtlMs > 0) {
      if (this.tokenUsers.size >= MAX_CACHED_USERS) this.tokenUsers.clear();
      this.tokenUsers.set(userId, { user, until: now + this.tokenUserTtlMs });
    }
    return user;
  }

  /** Forgets the cached token user (this instance only; other instances see the change within the TTL). */
  invalidate(userId?: string): void {
    if (userId === undefined) this.tokenUsers.clear();
    else this.tokenUsers.delete(userId);
  }

  /** Deactivates or reactivates a user; deactivation revokes every token issued so far. */
  /**
   * Activates or deactivates a user; `last_admin`: the user is the last active administrator, who
   * is never deactivated (nobody could administer the platform again but from the server). The
   * active administrators are locked while it is decided, so two deactivating each other at once
   * cannot both go.
   */
  async setActive(username: string, active: boolean, actor?: AdminActor): Promise<boolean | 'last_admin'> {
    const rows = await this.ds.transaction(async (m) => {
      await nameActor(m, actor);
      if (!active) {
        const admins: { username: string }[] = await m.query(
          `SELECT username FROM identity.users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`,
        );
        if (admins.length === 1 && admins[0]!.username === username) return 'last_admin' as const;
      }
      return m.query(
        `UPDATE identity.users
         SET active = $2, token_version = token_version + CASE WHEN $2 THEN 0 ELSE 1 END
         WHERE username = $1 RETURNING id`,
        [username, active],
      ) as Promise<unknown>;
    });
    return rows === 'last_admin' ? rows : this.invalidated(rows);
  }

  /** Sets a new password hash and revokes every token issued so far. */
  async setPasswordHash(username: string, passwordHash: string, actor?: AdminActor): Promise<boolean> {
    const rows = await writeAs(
      this.ds,
      actor,
      `UPDATE identity.users SET password_hash = $2, token_version = token_version + 1
       WHERE username = $1 RETURNING id`,
      [username, passwordHash],
    );
    return this.invalidated(rows);
  }

  /**
   * Makes a unit's user its leader (单位领导), or not. `not_unit_user`: the user is not a unit's
   * (only a unit's user leads it); null: no such user.
   */
  async setUnitLeader(
    username: string,
    leader: boolean,
    actor?: AdminActor,
  ): Promise<{ unitId: string } | 'not_unit_user' | null> {
    const result: unknown = await writeAs(
      this.ds,
      actor,
      `UPDATE identity.users SET unit_leader = $2 AND role = 'unit_clerk'
       WHERE username = $1 RETURNING id, unit_id AS "unitId"`,
      [username, leader],
    );
    const rows = returnedRows<{ id: string; unitId: string | null }>(result);
    if (!this.invalidated(result)) return null;
    return rows[0]!.unitId === null ? 'not_unit_user' : { unitId: rows[0]!.unitId };
  }

  /** Revokes every token of the user issued so far (they log in again). */
  async revokeTokens(username: string, actor?: AdminActor): Promise<boolean> {
    const rows = await writeAs(
      this.ds,
      actor,
      `UPDATE identity.users SET token_version = token_version + 1 WHERE username = $1 RETURNING id`,
      [username],
    );
    return this.invalidated(rows);
  }

  async create(user: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: Role;
    unitId: string | null;
  }): Promise<void> {
    await this.ds.query(
      `INSERT INTO identity.users (id, username, display_name, password_hash, role, unit_id)
       VALUES ($1,$1,$2,$3,$4,$5)`,
      [user.username, user.displayName, user.passwordHash, user.role, user.unitId],
    );
  }

  /** Creates the user, or answers null when the username is taken. */
  async createNew(
    user: {
      username: string;
      displayName: string;
      passwordHash: string;
      role: Role;
      unitId: string | null;
    },
    actor?: AdminActor,
  ): Promise<UserView | null> {
    const rows = returnedRows<UserView>(
      await writeAs(
        this.ds,
        actor,
        `INSERT INTO identity.users (id, username, display_name, password_hash, role, unit_id)
         VALUES ($1,$1,$2,$3,$4,$5) ON CONFLICT DO NOTHING RETURNING ${VIEW}`,
        [user.username, user.displayName, user.passwordHash, user.role, user.unitId],
      ),
    );
    return rows[0] ? viewOf(rows[0]) : null;
  }

  async view(username: string): Promise<UserView | null> {
    const rows: UserView[] = await this.ds.query(`SELECT ${VIEW} FROM identity.users WHERE username = $1`, [
      username,
    ]);
    return rows[0] ? viewOf(rows[0]) : null;
  }

  /** The users by username, filtered by role, unit and whether they may log in. */
  async list(
    filter: { role?: Role; unitId?: string; active?: boolean },
    page: { limit: number; offset: number },
  ): Promise<RowsPage<UserView>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.role !== undefined) where.push(`role = $${params.push(filter.role)}`);
    if (filter.unitId !== undefined) where.push(`unit_id = $${params.push(filter.unitId)}`);
    if (filter.active !== undefined) where.push(`active = $${params.push(filter.active)}`);
    const { items, total } = await queryPage<UserView>(
      this.ds,
      {
        select: VIEW,
        from: `FROM identity.users${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`,
        orderBy: 'username',
      },
      params,
      page,
    );
    return { items: items.map(viewOf), total };
  }

  private invalidated(rows: unknown): boolean {
    const list = returnedRows<{ id: string }>(rows);
    for (const r of list) this.invalidate(r.id);
    return list.length > 0;
  }
}

const viewOf = (u: UserView): UserView => ({ ...u, createdAt: new Date(u.createdAt).toISOString() });
