import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryPage } from '@hotline/platform';
import type { RowsPage } from '@hotline/platform';

export interface ClosedTicketRow {
  ticketNo: string;
  unitId: string | null;
  closedAt: string;
  outcome: string;
  evaluationStatus: string;
}

/** The evaluation service's own read model: closed tickets and where their evaluation stands. */
@Injectable()
export class EvaluationRepository {
  constructor(private readonly ds: DataSource) {}

  closedTickets(page: { limit: number; offset: number }): Promise<RowsPage<ClosedTicketRow>> {
    return queryPage(
      this.ds,
      {
        // Where the evaluation stands is the expert case's own status (one source of truth): open,
        // it awaits the experts, whether the callbacks or a public vote opened it; else it is done.
        select: `t.ticket_no AS "ticketNo", t.unit_id AS "unitId", t.closed_at AS "closedAt", t.outcome,
                 CASE WHEN c.status IN ('waiting_for_evaluator','assigned') THEN 'awaiting_expert'
                      WHEN c.status IS NULL AND t.evaluation_status = 'awaiting_expert' THEN 'awaiting_expert'
                      ELSE 'done' END AS "evaluationStatus"`,
        from: `FROM evaluation.closed_tickets t
               LEFT JOIN evaluation.expert_cases c ON c.ticket_no = t.ticket_no`,
        orderBy: 't.closed_at DESC, t.ticket_no DESC',
      },
      [],
      page,
    );
  }
}
