import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** The evaluation service's own read model: closed tickets and where their evaluation stands. */
@Injectable()
export class EvaluationRepository {
  constructor(private readonly ds: DataSource) {}

  async closedTickets(limit = 200): Promise<Record<string, unknown>[]> {
    return this.ds.query(
      `SELECT ticket_no AS "ticketNo", unit_id AS "unitId", closed_at AS "closedAt", outcome,
              evaluation_status AS "evaluationStatus"
       FROM evaluation.closed_tickets ORDER BY closed_at DESC LIMIT $1`,
      [limit],
    );
  }
}
