import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public votes (SZ 寒山闻钟) and reconsideration (GS), issue #8:
 * - the `forum` role: the forum site's machine account that votes on behalf of its users;
 * - evaluation.forum_posts: who posted a forum ticket (the forum's user id), registered by the forum;
 * - evaluation.forum_staff_accounts: forum accounts of service staff, who cannot vote;
 * - evaluation.vote_windows / public_votes: each window and its votes, written by the workflow's
 *   activities (the workflow holds the window and decides each vote);
 * - evaluation.reconsiderations: one per ticket, its clock and its decision.
 */
export class VotesReconsideration1763964000000 implements MigrationInterface {
  name = 'VotesReconsideration1763964000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.users DROP CONSTRAINT users_role_check`);
    await q.query(
      `ALTER TABLE identity.users ADD CONSTRAINT users_role_check
       CHECK (role IN ('operator','unit_clerk','reviewer','supervisor','evaluator','admin','auditor','forum'))`,
    );
    await q.query(`
      CREATE TABLE evaluation.forum_posts (
        ticket_no text PRIMARY KEY,
        post_id text NOT NULL,
        poster_id text NOT NULL,
        registered_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE evaluation.forum_staff_accounts (
        account_id text PRIMARY KEY,
        added_by text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE evaluation.vote_windows (
        ticket_no text PRIMARY KEY,
        unit_id text NOT NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('open','closed')),
        result text,
        poster_verdict text,
        poster_defaulted boolean,
        others jsonb
      )`);
    await q.query(`
      CREATE TABLE evaluation.public_votes (
        ticket_no text NOT NULL REFERENCES evaluation.vote_windows(ticket_no),
        voter_id text NOT NULL,
        verdict text NOT NULL CHECK (verdict IN ('satisfied','basically_satisfied','unsatisfied')),
        is_poster boolean NOT NULL,
        changes integer NOT NULL DEFAULT 0,
        cast_at timestamptz NOT NULL,
        changed_at timestamptz,
        PRIMARY KEY (ticket_no, voter_id)
      )`);
    await q.query(`
      CREATE TABLE evaluation.reconsiderations (
        ticket_no text PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        unit_id text,
        reason text NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL,
        decide_by timestamptz NOT NULL,
        reminders integer NOT NULL DEFAULT 0,
        overdue boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('requested','decided')),
        outcome text CHECK (outcome IN ('upheld','revised')),
        decision text,
        decided_by text,
        decided_at timestamptz,
        late boolean
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evaluation.reconsiderations`);
    await q.query(`DROP TABLE evaluation.public_votes`);
    await q.query(`DROP TABLE evaluation.vote_windows`);
    await q.query(`DROP TABLE evaluation.forum_staff_accounts`);
    await q.query(`DROP TABLE evaluation.forum_posts`);
    await q.query(`DELETE FROM identity.users WHERE role = 'forum'`);
    await q.query(`ALTER TABLE identity.users DROP CONSTRAINT users_role_check`);
    await q.query(
      `ALTER TABLE identity.users ADD CONSTRAINT users_role_check
       CHECK (role IN ('operator','unit_clerk','reviewer','supervisor','evaluator','admin','auditor'))`,
    );
  }
}
