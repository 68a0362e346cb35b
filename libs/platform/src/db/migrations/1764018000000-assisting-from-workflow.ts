import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A ticket's assisting units (`ticket.tickets.assisting_unit_ids`) were those the operator asked
 * for at registration, whatever the workflow made of them (a lead named as one, a manual dispatch
 * naming others, an assisting unit made lead after a return). The projection now copies them from
 * each event's state once the ticket is on a desk; this brings the rows registered before it to
 * what their latest standing event says. Rows never on a desk keep what was asked for.
 */
export class AssistingFromWorkflow1764018000000 implements MigrationInterface {
  name = 'AssistingFromWorkflow1764018000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE ticket.tickets t SET assisting_unit_ids = l.assisting
       FROM (
         SELECT DISTINCT ON (e.ticket_no) e.ticket_no,
           jsonb_array_length(e.state->'assignments') AS placed,
           ARRAY(
             SELECT x.a->>'unitId'
             FROM jsonb_array_elements(e.state->'assignments') WITH ORDINALITY AS x(a, i)
             WHERE x.a->>'role' = 'assisting' AND x.a->>'status' <> 'withdrawn'
             GROUP BY x.a->>'unitId' ORDER BY min(x.i)
           ) AS assisting
         FROM ticket.ticket_events e
         WHERE e.voided_by IS NULL AND jsonb_typeof(e.state->'assignments') = 'array'
         ORDER BY e.ticket_no, e.seq DESC
       ) l
       WHERE t.ticket_no = l.ticket_no AND l.placed > 0 AND t.assisting_unit_ids <> l.assisting`,
    );
  }

  async down(): Promise<void> {
    // What was asked for at registration is on the ticket.created event's request no longer: nothing to undo.
  }
}
