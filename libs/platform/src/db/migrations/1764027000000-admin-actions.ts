import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The administrator's trail (RULES §8: nothing is silently changed): every change to the platform's
 * configuration and accounts — users (created, password set, deactivated, tokens revoked, made a
 * unit's leader), policy sets and the active one, the working calendar's days, the expert pool,
 * a unit's leader-review rule — is written to `audit.admin_actions` by a trigger, in the change's
 * own transaction, with who made it (the transaction's `hotline.actor`, set by the service that
 * makes the change; none: the system, a seed or the server's CLI) and what changed, column by
 * column. Secrets and personal data (a password hash, an evaluator's encrypted name and phone) are
 * recorded as changed, never by value. Append-only, as the personal-data access log is.
 */
export class AdminActions1764027000000 implements MigrationInterface {
  name = 'AdminActions1764027000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit.admin_actions (
        id bigserial PRIMARY KEY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor jsonb NOT NULL,
        action text NOT NULL,
        subject text NOT NULL,
        changes jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX admin_actions_time ON audit.admin_actions (occurred_at DESC)`);
    await q.query(`CREATE INDEX admin_actions_subject ON audit.admin_actions (subject, occurred_at DESC)`);
    await q.query(`
      CREATE TRIGGER admin_actions_append_only BEFORE UPDATE OR DELETE ON audit.admin_actions
      FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
    await q.query(`
      CREATE TRIGGER admin_actions_no_truncate BEFORE TRUNCATE ON audit.admin_actions
      FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
    // TG_ARGV: [0] the columns naming the subject, [1] columns recorded as changed only, [2] columns
    // not recorded (bookkeeping).
    await q.query(`
      CREATE FUNCTION audit.record_admin_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        actor jsonb := coalesce(nullif(current_setting('hotline.actor', true), '')::jsonb, '{"kind":"system"}'::jsonb);
        old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
        new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
        rec jsonb := coalesce(new_row, old_row);
        secret text[] := TG_ARGV[1]::text[];
        skipped text[] := TG_ARGV[2]::text[];
        changes jsonb := '{}'::jsonb;
        subject text;
        k text;
      BEGIN
        SELECT string_agg(rec ->> c, ' ') INTO subject FROM unnest(TG_ARGV[0]::text[]) AS c;
        FOR k IN SELECT jsonb_object_keys(rec) LOOP
          CONTINUE WHEN k = ANY(skipped);
          IF (old_row -> k) IS DISTINCT FROM (new_row -> k) THEN
            changes := changes || jsonb_build_object(k,
              CASE WHEN k = ANY(secret) THEN to_jsonb('(changed)'::text)
                   ELSE jsonb_build_array(old_row -> k, new_row -> k) END);
          END IF;
        END LOOP;
        IF changes <> '{}'::jsonb THEN
          INSERT INTO audit.admin_actions (actor, action, subject, changes)
          VALUES (actor, TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME || '.' || lower(TG_OP), coalesce(subject, ''), changes);
        END IF;
        RETURN NULL;
      END $$`);
    const watch = async (table: string, ops: string, subject: string, secret: string, skipped: string) =>
      q.query(
        `CREATE TRIGGER admin_actions AFTER ${ops} ON ${table}
         FOR EACH ROW EXECUTE FUNCTION audit.record_admin_change('${subject}', '${secret}', '${skipped}')`,
      );
    await watch('identity.users', 'INSERT OR UPDATE OR DELETE', '{username}', '{password_hash}', '{}');
    await watch('policy.policy_sets', 'INSERT OR UPDATE OR DELETE', '{code,version}', '{}', '{created_at}');
    await watch('policy.settings', 'INSERT OR UPDATE OR DELETE', '{key}', '{}', '{updated_at,updated_by}');
    await watch(
      'policy.calendar_days',
      'INSERT OR UPDATE OR DELETE',
      '{calendar_id,day}',
      '{}',
      '{updated_at}',
    );
    await watch(
      'evaluation.evaluators',
      'INSERT OR UPDATE OR DELETE',
      '{id}',
      '{name,phone}',
      '{updated_at}',
    );
    await watch('catalog.units', 'UPDATE', '{id}', '{}', '{}');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'identity.users',
      'policy.policy_sets',
      'policy.settings',
      'policy.calendar_days',
      'evaluation.evaluators',
      'catalog.units',
    ])
      await q.query(`DROP TRIGGER admin_actions ON ${table}`);
    await q.query(`DROP FUNCTION audit.record_admin_change()`);
    await q.query(`DROP TABLE audit.admin_actions`);
  }
}
