import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  IntersectionType,
} from '@nestjs/swagger';
import { IsIn, IsOptional, Length } from 'class-validator';
import { CurrentPrincipal, DATE_TIME, IsDay, PageDto, PageQuery, Roles, UnitFilter } from '@hotline/platform';
import { PERIODS, SATISFACTION_SOURCES, VERDICTS } from '@hotline/shared';
import type { Period, Principal } from '@hotline/shared';
import type { GroupBy } from './satisfaction.repository';
import { SatisfactionService } from './satisfaction.service';

export class SatisfactionFilterQuery {
  @ApiPropertyOptional({
    description: 'First China day (UTC+8) of closure, inclusive',
    example: '2026-11-01',
  })
  @IsOptional()
  @IsDay()
  from?: string;

  @ApiPropertyOptional({
    description: 'Last China day of closure, inclusive',
    example: '2026-11-30',
  })
  @IsOptional()
  @IsDay()
  to?: string;

  @UnitFilter()
  unitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Length(1, 100)
  category?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Length(1, 100)
  regionCode?: string;
}

export class SatisfactionQuery extends SatisfactionFilterQuery {
  @ApiPropertyOptional({ enum: ['unit', 'category', 'region'], default: 'unit' })
  @IsOptional()
  @IsIn(['unit', 'category', 'region'])
  groupBy?: GroupBy;

  @ApiPropertyOptional({ enum: PERIODS, default: 'month' })
  @IsOptional()
  @IsIn(PERIODS)
  period?: Period;
}

/** The tickets behind the figures: the same filter, one page at a time. */
export class SatisfactionTicketsQuery extends IntersectionType(SatisfactionFilterQuery, PageQuery) {}

/** The counted verdicts by where they came from. */
export class VerdictSourcesDto {
  @ApiProperty({ type: 'integer' })
  sms!: number;

  @ApiProperty({ type: 'integer' })
  manual!: number;

  @ApiProperty({ type: 'integer' })
  vote!: number;

  @ApiProperty({ type: 'integer' })
  expert!: number;
}

/** How many counted each verdict: a figure's tickets, or a vote window's voters. */
export class VerdictCountsDto {
  @ApiProperty({ type: 'integer' })
  satisfied!: number;

  @ApiProperty({ type: 'integer' })
  basically_satisfied!: number;

  @ApiProperty({ type: 'integer' })
  unsatisfied!: number;
}

/** One figure: a unit, category or region in one period. */
export class SatisfactionFigureDto extends VerdictCountsDto {
  @ApiProperty({ description: 'The unit, category or region code.', example: 'transport' })
  key!: string;

  @ApiProperty({ type: String, nullable: true, example: '市交通运输局' })
  name!: string | null;

  @ApiProperty({ description: 'The first China day of the period.', example: '2026-11-01' })
  periodStart!: string;

  @ApiProperty({ type: 'integer', description: 'Tickets with a counted verdict.' })
  evaluated!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: '(satisfied + basically satisfied) / evaluated; null with none evaluated.',
  })
  rate!: number | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the rate reaches the 90 % target.' })
  meetsTarget!: boolean | null;

  @ApiProperty({ type: VerdictSourcesDto })
  bySource!: VerdictSourcesDto;
}

export class SatisfactionFiguresDto {
  @ApiProperty({ enum: ['unit', 'category', 'region'] })
  groupBy!: string;

  @ApiProperty({ enum: PERIODS })
  period!: string;

  @ApiProperty({ type: [SatisfactionFigureDto] })
  items!: SatisfactionFigureDto[];
}

/** A ticket behind the figures, with its counted verdict (the precedence rule) and its source. */
export class SatisfactionTicketDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ type: String, nullable: true, example: 'transport' })
  unitId!: string | null;

  @ApiProperty({ example: 'road' })
  category!: string;

  @ApiProperty({ example: 'gulou' })
  regionCode!: string;

  @ApiProperty(DATE_TIME)
  closedAt!: string;

  @ApiProperty({ enum: VERDICTS })
  verdict!: string;

  @ApiProperty({ enum: SATISFACTION_SOURCES })
  source!: string;
}

export class SatisfactionTicketPageDto extends PageDto {
  @ApiProperty({ type: [SatisfactionTicketDto] })
  items!: SatisfactionTicketDto[];
}

/**
 * Satisfaction figures (满意率) by unit, category or region and period, counted from each ticket's
 * counted verdict (the precedence rule, libs/shared/src/evaluation/satisfaction.ts); the tickets
 * behind every figure are listed too. A unit's clerk sees their own unit only.
 */
@ApiTags('satisfaction')
@ApiBearerAuth()
@Roles('reviewer', 'supervisor', 'admin', 'unit_clerk')
@Controller('api/v1/satisfaction')
export class SatisfactionController {
  constructor(private readonly satisfaction: SatisfactionService) {}

  @Get()
  @ApiOkResponse({
    type: SatisfactionFiguresDto,
    description: 'Counts per verdict and source, the rate and whether it meets the 90 % target.',
  })
  figures(@Query() q: SatisfactionQuery, @CurrentPrincipal() who: Principal) {
    return this.satisfaction.figures(who, q.groupBy ?? 'unit', q.period ?? 'month', q);
  }

  @Get('tickets')
  @ApiOkResponse({
    type: SatisfactionTicketPageDto,
    description: 'The tickets behind the figures: each one’s counted verdict and its source.',
  })
  tickets(@Query() q: SatisfactionTicketsQuery, @CurrentPrincipal() who: Principal) {
    return this.satisfaction.tickets(who, q, { limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }
}
