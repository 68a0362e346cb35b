import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  DATE_TIME,
  PageDto,
  PageQuery,
  Roles,
  UnitFilter,
  NotBlank,
} from '@hotline/platform';
import { PLAN_STATUSES } from '@hotline/shared';
import type { Principal } from '@hotline/shared';
import { PlansService } from './plans.service';

export class TrackedPlanDto {
  @ApiProperty({ example: '20261206000001' })
  ticketNo!: string;

  @ApiProperty({ example: 'transport', description: 'The unit that promised the plan.' })
  unitId!: string;

  @ApiProperty({
    type: String,
    format: 'date',
    example: '2027-03-31',
    description: 'The day promised (China).',
  })
  plannedCompletionDate!: string;

  @ApiProperty({ ...DATE_TIME, description: 'The end of that day: a plan not reported done by then lapses.' })
  dueAt!: string;

  @ApiProperty({
    enum: PLAN_STATUSES,
    description:
      'tracking; done (reported by the unit); lapsed (its day ended first: an order was raised); ' +
      'withdrawn (the close it was tracked on was voided by a ledger correction).',
  })
  status!: string;

  @ApiProperty(DATE_TIME)
  trackedAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  lapsedAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  completedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The clerk who reported it done.' })
  completedBy!: string | null;

  @ApiProperty({ type: String, nullable: true })
  completionNote!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'When it was withdrawn.' })
  withdrawnAt!: string | null;
}

export class TrackedPlanResultDto extends TrackedPlanDto {
  @ApiProperty({ description: 'true when the plan had been reported done before: nothing changed.' })
  alreadyApplied!: boolean;
}

export class TrackedPlanPageDto extends PageDto {
  @ApiProperty({ type: [TrackedPlanDto] })
  items!: TrackedPlanDto[];
}

export class PlansQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PLAN_STATUSES })
  @IsOptional()
  @IsIn(PLAN_STATUSES)
  status?: string;

  @UnitFilter('Centre only: one unit (a clerk always sees its own).')
  unitId?: string;
}

export class PlanCompletionDto {
  @ApiProperty({ example: '破损路面已于3月28日全部修复完成，经现场复核通行正常。' })
  @IsString()
  @Length(5, 2000)
  @NotBlank()
  note!: string;
}

/** Tracked plans (跟踪计划): the centre follows a closed ticket's accepted plan; the unit reports it done. */
@ApiTags('plans')
@ApiBearerAuth()
@Controller('api/v1/plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({
    type: TrackedPlanPageDto,
    description: "Tracked plans, due soonest first, done last; a unit's clerk sees only its unit's.",
  })
  list(@Query() q: PlansQuery, @CurrentPrincipal() who: Principal) {
    return this.plans.list(who, { ...q, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get(':ticketNo')
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({ type: TrackedPlanDto, description: "A closed ticket's tracked plan." })
  get(@Param('ticketNo') ticketNo: string, @CurrentPrincipal() who: Principal) {
    return this.plans.get(who, ticketNo);
  }

  @Post(':ticketNo/completion')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('unit_clerk')
  @ApiOkResponse({
    type: TrackedPlanResultDto,
    description:
      'The unit reports its plan done, on time or after it lapsed (an order raised stays to be answered); once.',
  })
  complete(
    @Param('ticketNo') ticketNo: string,
    @Body() body: PlanCompletionDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.plans.complete(who, ticketNo, body.note);
  }
}
