import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { pageOf, ProblemException, queryPage } from '@hotline/platform';
import type { Principal } from '@hotline/shared';
import { TicketFactsRepository } from '../ticket-facts.repository';

/**
 * Service test calls (政务服务效能拨测, SQ art. 15): the centre places its own appeal through intake
 * like any citizen, then registers its number here. The mark lives only in supervision: the ticket
 * is handled, timed and scored like every other, and no unit's view can tell it from a real one.
 * The list shows how each test went, from supervision's facts.
 */
@Injectable()
export class TestCallsService {
  constructor(
    private readonly ds: DataSource,
    private readonly facts: TicketFactsRepository,
  ) {}

  async register(who: Principal, ticketNo: string, scenario: string, expected: string) {
    if (!(await this.facts.find(ticketNo)))
      throw new ProblemException('ticket_not_found', `no ticket ${ticketNo} known to supervision`);
    const rows: unknown[] = await this.ds.query(
      `INSERT INTO supervision.test_calls (ticket_no, scenario, expected, registered_by, registered_at)
       VALUES ($1,$2,$3,$4,now()) ON CONFLICT (ticket_no) DO NOTHING RETURNING ticket_no`,
      [ticketNo, scenario.trim(), expected.trim(), who.userId],
    );
    if (rows.length === 0) throw new ProblemException('conflict', `${ticketNo} is already a test call`);
    return (await this.list({ ticketNo, limit: 1, offset: 0 })).items[0];
  }

  async list(q: { ticketNo?: string; limit: number; offset: number }) {
    const params: unknown[] = [];
    const where = q.ticketNo ? `WHERE c.ticket_no = $${params.push(q.ticketNo)}` : '';
    const rows = await queryPage(
      this.ds,
      {
        select: `c.ticket_no AS "ticketNo", c.scenario, c.expected, c.registered_by AS "registeredBy",
          c.registered_at AS "registeredAt", f.unit_id AS "unitId", f.status, f.signed_at AS "signedAt",
          f.signed_late AS "signedLate", f.replied_at AS "repliedAt", f.complete_due_at AS "completeDueAt",
          f.overdue_count AS "overdueCount", f.return_count AS "returnCount", f.closed_at AS "closedAt",
          f.outcome, s.verdict`,
        from: `FROM supervision.test_calls c JOIN supervision.ticket_facts f ON f.ticket_no = c.ticket_no
          LEFT JOIN supervision.satisfaction_facts s ON s.ticket_no = c.ticket_no ${where}`,
        orderBy: 'c.registered_at DESC, c.ticket_no',
      },
      params,
      q,
    );
    return pageOf(rows, q);
  }
}
