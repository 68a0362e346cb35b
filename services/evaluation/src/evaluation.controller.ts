import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@hotline/platform';
import { EvaluationRepository } from './evaluation.repository';

@ApiTags('evaluation')
@ApiBearerAuth()
@Roles('reviewer', 'supervisor', 'admin')
@Controller('api/v1')
export class EvaluationController {
  constructor(private readonly evaluation: EvaluationRepository) {}

  @Get('closed-tickets')
  @ApiOkResponse({ description: 'Closed tickets and where their evaluation stands, newest first.' })
  async closed() {
    return { items: await this.evaluation.closedTickets() };
  }
}
