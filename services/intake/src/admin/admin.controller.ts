import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiParam,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import {
  CurrentPrincipal,
  Roles,
  TicketActionResultDto,
  PageQuery,
  PageDto,
  pageOfAll,
  QueryInt,
} from '@hotline/platform';
import type { Principal } from '@hotline/shared';
import { CentreService } from '../tickets/centre.service';
import { CALENDAR_YEARS, PoliciesService } from './policies.service';

export class ActivePolicyDto {
  @ApiProperty({ example: 'SZ' })
  @IsString()
  @Length(1, 32)
  code!: string;
}

export class CalendarDayDto {
  @ApiProperty({ enum: ['holiday', 'workday', 'normal'], description: 'normal: remove the override' })
  @IsIn(['holiday', 'workday', 'normal'])
  kind!: 'holiday' | 'workday' | 'normal';

  @ApiPropertyOptional({ example: '国务院办公厅关于2027年部分节假日安排的通知' })
  @IsOptional()
  @IsString()
  @Length(0, 500)
  note?: string;
}

export class YearQuery extends PageQuery {
  @ApiPropertyOptional({ type: 'integer', example: 2026 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(CALENDAR_YEARS.from)
  @Max(CALENDAR_YEARS.to)
  year?: number;
}

/** The policy set the deployment now uses. */
export class ActivePolicySetDto {
  @ApiProperty({ example: 'SQ' })
  active!: string;
}

/** A day the calendar overrides: a holiday, or a weekend day worked (调休). */
export class CalendarDayRowDto {
  @ApiProperty({ example: '2026-10-01' })
  day!: string;

  @ApiProperty({ enum: ['holiday', 'workday'] })
  kind!: string;

  @ApiProperty({ description: 'Where the day came from (the seeded State Council notice, or an admin).' })
  source!: string;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;
}

export class CalendarDaysDto extends PageDto {
  @ApiProperty({ type: [CalendarDayRowDto], description: 'The overridden days of the year, in order.' })
  items!: CalendarDayRowDto[];
}

/** A day as just set (`normal`: the override removed). */
export class CalendarDaySetDto {
  @ApiProperty({ example: '2027-02-06' })
  day!: string;

  @ApiProperty({ enum: ['holiday', 'workday', 'normal'] })
  kind!: string;
}

/** A policy set in the list: its latest version, and whether the deployment uses it. */
export class PolicySetSummaryDto {
  @ApiProperty({ example: 'SQ' })
  code!: string;

  @ApiProperty({ type: 'integer', description: 'Its latest version.' })
  version!: number;

  @ApiProperty({ example: '宿迁市12345热线办理时限' })
  name!: string;

  @ApiProperty({ description: 'The one the deployment uses.' })
  active!: boolean;
}

export class PolicySetListDto extends PageDto {
  @ApiProperty({ type: [PolicySetSummaryDto] })
  items!: PolicySetSummaryDto[];
}

const LIMITS = {
  type: 'object',
  additionalProperties: true,
  description:
    'Limits by name (libs/shared/src/domain/policy.ts, SlaLimits): each a duration `{ amount, unit }` ' +
    '(or null where the limit is optional), and `reminderFractions`.',
} as const;

/** A rule of a policy set: the limits it overrides for the tickets it matches. */
export class PolicyRuleDto {
  @ApiProperty({ example: 'sz-leader-mailbox' })
  id!: string;

  @ApiProperty({ example: '领导信箱件2日内转办、5日内告知受理' })
  name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'regionCode, category, kind, channel: each null (any) or the value a ticket must have.',
  })
  match!: object;

  @ApiProperty({ ...LIMITS, description: 'The limits it overrides (some of them).' })
  limits!: object;
}

/** A time-limit policy set (时限规则), one version of it. */
export class PolicySetDto {
  @ApiProperty({ example: 'SQ' })
  code!: string;

  @ApiProperty({ type: 'integer', description: 'A ticket keeps the version it started with.' })
  version!: number;

  @ApiProperty({ example: '宿迁市12345热线办理时限' })
  name!: string;

  @ApiProperty({ description: 'The regulation it encodes.' })
  source!: string;

  @ApiProperty({
    example: 'cn-mainland',
    description: 'The working-day calendar of its working-time limits.',
  })
  calendarId!: string;

  @ApiProperty({ ...LIMITS, description: `Every limit (the fallback). ${LIMITS.description}` })
  defaults!: object;

  @ApiProperty({ type: [PolicyRuleDto], description: 'Overrides, the more specific winning.' })
  rules!: PolicyRuleDto[];
}

/** Administration: SLA policy sets and the working-day calendar, as data. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    private readonly policies: PoliciesService,
    private readonly centre: CentreService,
  ) {}

  @Get('policy-sets')
  @ApiOkResponse({
    type: PolicySetListDto,
    description: 'Each policy set (latest version) and which one the deployment uses.',
  })
  async list(@Query() page: PageQuery) {
    return pageOfAll((await this.policies.list()).items, page);
  }

  @Get('policy-sets/:code')
  @ApiOkResponse({ type: PolicySetDto, description: 'One policy set, its latest version.' })
  get(@Param('code') code: string) {
    return this.policies.get(code);
  }

  @Post('policy-sets')
  @HttpCode(201)
  @ApiCreatedResponse({
    type: PolicySetDto,
    description: 'Saves a policy set as its next version; running tickets keep theirs.',
  })
  @ApiBody({ schema: { type: 'object', description: 'A policy set (libs/shared/src/domain/policy.ts).' } })
  save(@Body() body: Record<string, unknown>, @CurrentPrincipal() who: Principal) {
    return this.policies.save(body, who);
  }

  @Put('active-policy-set')
  @ApiOkResponse({
    type: ActivePolicySetDto,
    description: 'Switches the deployment to another policy set: data, not code.',
  })
  activate(@Body() body: ActivePolicyDto, @CurrentPrincipal() who: Principal) {
    return this.policies.activate(body.code, who);
  }

  @Get('calendars/:id/days')
  @ApiOkResponse({
    type: CalendarDaysDto,
    description: "The calendar's holidays and adjusted working days (调休) of a year.",
  })
  async days(@Param('id') id: string, @Query() q: YearQuery) {
    return pageOfAll((await this.policies.days(id, q.year)).items, q);
  }

  @Put('calendars/:id/days/:day')
  @ApiParam({
    name: 'day',
    format: 'date',
    example: '2027-02-06',
    description: 'A real day, YYYY-MM-DD, of the years 2000–2100.',
  })
  @ApiOkResponse({
    type: CalendarDaySetDto,
    description: 'Marks a day a holiday or an adjusted working day (调休), or clears it.',
  })
  setDay(
    @Param('id') id: string,
    @Param('day') day: string,
    @Body() body: CalendarDayDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.policies.setDay(id, day, body.kind, body.note ?? null, who);
  }

  @Post('tickets/:ticketNo/reapply-policy')
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: 'Applies the active policy set to a running ticket (its future deadlines).',
  })
  reapply(@Param('ticketNo') ticketNo: string, @CurrentPrincipal() who: Principal) {
    return this.centre.reapplyPolicy(ticketNo, who);
  }
}
