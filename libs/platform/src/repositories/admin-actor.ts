import type { DataSource, EntityManager } from 'typeorm';

/** Who makes a change the administrator's trail records (audit.admin_actions). */
export interface AdminActor {
  userId: string;
  username: string;
  role: string;
}

/** Names the actor for the trail's trigger, for the rest of this transaction. */
export async function nameActor(
  m: Pick<EntityManager, 'query'>,
  actor: AdminActor | undefined,
): Promise<void> {
  if (actor)
    await m.query(`SELECT set_config('hotline.actor', $1, true)`, [
      JSON.stringify({ kind: 'user', userId: actor.userId, username: actor.username, role: actor.role }),
    ]);
}

/**
 * One statement of a change the trail records, in a transaction that names who makes it; without an
 * actor (a seed, the server's CLI), the trail records the system.
 */
export function writeAs(
  ds: DataSource,
  actor: AdminActor | undefined,
  sql: string,
  params: unknown[],
): Promise<unknown> {
  if (!actor) return ds.query(sql, params) as Promise<unknown>;
  return ds.transaction(async (m) => {
    await nameActor(m, actor);
    return m.query(sql, params) as Promise<unknown>;
  });
}
