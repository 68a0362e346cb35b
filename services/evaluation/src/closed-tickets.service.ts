import { Injectable } from '@nestjs/common';
import { pageOf } from '@hotline/platform';
import { EvaluationRepository } from './evaluation.repository';

/** The register of closed tickets, and where each one's evaluation stands. */
@Injectable()
export class ClosedTicketsService {
  constructor(private readonly evaluation: EvaluationRepository) {}

  async page(page: { limit: number; offset: number }) {
    return pageOf(await this.evaluation.closedTickets(page), page);
  }
}
