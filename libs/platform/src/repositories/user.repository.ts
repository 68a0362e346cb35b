import type { DataSource } from 'typeorm';
import type { Role } from '@hotline/shared';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  unitId: string | null;
  active: boolean;
}

export class UserRepository {
  constructor(private readonly ds: DataSource) {}

  async findByUsername(username: string): Promise<UserRow | null> {
    const rows = await this.ds.query(
      `SELECT id, username, display_name AS "displayName", password_hash AS "passwordHash", role,
              unit_id AS "unitId", active
       FROM identity.users WHERE username = $1`,
      [username],
    );
    return rows[0] ?? null;
  }
}
