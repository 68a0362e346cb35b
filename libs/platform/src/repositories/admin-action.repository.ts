import type { DataSource } from 'typeorm';
import { queryPage } from './page';
import type { RowsPage } from './page';

export interface AdminActionRow {
  id: string;
  occurredAt: string;
  /** `{kind: 'user', userId, username, role}`, or `{kind: 'system'}` (a seed, the server's CLI). */
  actor: Record<string, unknown>;
  /** The table and the operation: `identity.users.update`, `policy.calendar_days.insert`… */
  action: string;
  /** What it changed: a username, a policy set's code and version, a calendar and day, an id. */
  subject: string;
  /** Column by column: `[before, after]`, or "(changed)" for a secret or personal data. */
  changes: Record<string, unknown>;
}

export interface AdminActionFilter {
  username?: string;
  subject?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** The administrator's trail (audit.admin_actions, append-only; written by triggers), newest first. */
export class AdminActionRepository {
  constructor(private readonly ds: DataSource) {}

  async list(f: AdminActionFilter): Promise<RowsPage<AdminActionRow>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.username !== undefined) where.push(`actor->>'username' = $${params.push(f.username)}`);
    if (f.subject !== undefined) where.push(`subject = $${params.push(f.subject)}`);
    if (f.action !== undefined) where.push(`action = $${params.push(f.action)}`);
    if (f.from) where.push(`occurred_at >= $${params.push(f.from)}`);
    if (f.to) where.push(`occurred_at < $${params.push(f.to)}`);
    const page = await queryPage<AdminActionRow & { occurredAt: Date | string }>(
      this.ds,
      {
        select: `id::text AS id, occurred_at AS "occurredAt", actor, action, subject, changes`,
        from: `FROM audit.admin_actions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
        // The table's id (a number), not the selected text alias: 9 before 10, not after.
        orderBy: 'occurred_at DESC, audit.admin_actions.id DESC',
      },
      params,
      f,
    );
    return {
      total: page.total,
      items: page.items.map((r) => ({ ...r, occurredAt: new Date(r.occurredAt).toISOString() })),
    };
  }
}
