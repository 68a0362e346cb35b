import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Roles } from '@hotline/platform';

@ApiTags('evaluation')
@ApiBearerAuth()
@Roles('evaluator', 'reviewer', 'admin')
@Controller('api/v1')
export class EvaluationController {
  constructor(private readonly ds: DataSource) {}

  @Get('closed-tickets')
  @ApiOkResponse({ description: 'Closed tickets and where their evaluation stands, newest first.' })
  async closed() {
    const items = await this.ds.query(
      `SELECT ticket_no AS "ticketNo", unit_id AS "unitId", closed_at AS "closedAt", outcome,
              evaluation_status AS "evaluationStatus"
       FROM evaluation.closed_tickets ORDER BY closed_at DESC LIMIT 200`,
    );
    return { items };
  }

  @Get('evaluation-requests')
  @ApiOkResponse({ description: 'Unsatisfied cases waiting for an expert evaluator (专业评价员).' })
  async requests() {
    const items = await this.ds.query(
      `SELECT ticket_no AS "ticketNo", unit_id AS "unitId", verdict, requested_at AS "requestedAt", status
       FROM evaluation.evaluation_requests ORDER BY requested_at DESC LIMIT 200`,
    );
    return { items };
  }
}
