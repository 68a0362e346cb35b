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
        select: `ticket_no AS "ticketNo", unit_id AS "unitId", closed_at AS "closedAt", outcome,
                 evaluation_status AS "evaluationStatus"`,
        from: 'FROM evaluation.closed_tickets',
        orderBy: 'closed_at DESC, ticket_no DESC',
      },
      [],
      page,
    );
  }
}
