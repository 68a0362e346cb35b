import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The manual-callback queue (issue #8): a task per manual callback the workflow asks for, written
 * by the ledger in the transaction that records `ticket.callback_requested`, so it is on the queue
 * the moment the ledger shows the ticket waiting for the call; done in the transaction that records
 * the answer (or the ticket's closing). Each failed call is kept (callback_attempts).
 */
export class CallbackTasks1763962000000 implements MigrationInterface {
  name = 'CallbackTasks1763962000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation.callback_tasks (
        id uuid PRIMARY KEY,
        ticket_no text NOT NULL,
        round integer NOT NULL,
        unit_id text,
        due_at timestamptz NOT NULL,
        sms_answered boolean NOT NULL,
        sms_verdict text,
        status text NOT NULL CHECK (status IN ('open','done')),
        claimed_by text,
        claimed_at timestamptz,
        opened_at timestamptz NOT NULL,
        closed_at timestamptz,
        closed_as text CHECK (closed_as IN ('answered','unreachable','ticket_closed')),
        UNIQUE (ticket_no, round)
      )`);
    await q.query(
      `CREATE INDEX callback_tasks_open ON evaluation.callback_tasks (due_at) WHERE status = 'open'`,
    );
    await q.query(`
      CREATE TABLE evaluation.callback_attempts (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES evaluation.callback_tasks(id),
        outcome text NOT NULL CHECK (outcome IN ('no_answer','busy','powered_off','wrong_number')),
        note text NOT NULL DEFAULT '',
        called_by text NOT NULL,
        called_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX callback_attempts_task ON evaluation.callback_attempts (task_id, called_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evaluation.callback_attempts`);
    await q.query(`DROP TABLE evaluation.callback_tasks`);
  }
}
