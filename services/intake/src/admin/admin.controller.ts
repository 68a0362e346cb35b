import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import {
  CurrentPrincipal,
  PolicyRepository,
  ProblemException,
  Roles,
  TicketActionResultDto,
} from '@hotline/platform';
import { PolicyError } from '@hotline/shared';
import type { Principal } from '@hotline/shared';
import { CentreService } from '../tickets/centre.service';

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

export class YearQuery {
  @ApiPropertyOptional({ example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
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

export class CalendarDaysDto {
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

/** Administration: SLA policy sets and the working-day calendar, as data. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly centre: CentreService,
  ) {}

  @Get('policy-sets')
  @ApiOkResponse({ description: 'Each policy set (latest version) and which one the deployment uses.' })
  async list() {
    return { items: await this.policies.list() };
  }

  @Get('policy-sets/:code')
  @ApiOkResponse({ description: 'One policy set, its latest version.' })
  async get(@Param('code') code: string) {
    const set = await this.policies.latest(code);
    if (!set) throw new ProblemException('not_found', `no policy set ${code}`);
    return set;
  }

  @Post('policy-sets')
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'Saves a policy set as its next version; running tickets keep theirs.' })
  @ApiBody({ schema: { type: 'object', description: 'A policy set (libs/shared/src/domain/policy.ts).' } })
  async save(@Body() body: Record<string, unknown>, @CurrentPrincipal() who: Principal) {
    try {
      return await this.policies.saveNewVersion(body, who.userId);
    } catch (err) {
      if (err instanceof PolicyError)
        throw new ProblemException('validation_failed', 'the policy set is not valid', {
          errors: err.problems,
        });
      throw err;
    }
  }

  @Put('active-policy-set')
  @ApiOkResponse({
    type: ActivePolicySetDto,
    description: 'Switches the deployment to another policy set: data, not code.',
  })
  async activate(@Body() body: ActivePolicyDto, @CurrentPrincipal() who: Principal) {
    if (!(await this.policies.latest(body.code)))
      throw new ProblemException('not_found', `no policy set ${body.code}`);
    await this.policies.setActive(body.code, who.userId);
    return { active: body.code };
  }

  @Get('calendars/:id/days')
  @ApiOkResponse({
    type: CalendarDaysDto,
    description: "The calendar's holidays and adjusted working days (调休) of a year.",
  })
  async days(@Param('id') id: string, @Query() q: YearQuery) {
    if (!(await this.policies.calendarData(id))) throw new ProblemException('not_found', `no calendar ${id}`);
    return { items: await this.policies.days(id, q.year) };
  }

  @Put('calendars/:id/days/:day')
  @ApiOkResponse({
    type: CalendarDaySetDto,
    description: 'Marks a day a holiday or an adjusted working day (调休), or clears it.',
  })
  async setDay(
    @Param('id') id: string,
    @Param('day') day: string,
    @Body() body: CalendarDayDto,
    @CurrentPrincipal() who: Principal,
  ) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      throw new ProblemException('validation_failed', 'day must be YYYY-MM-DD');
    if (!(await this.policies.calendarData(id))) throw new ProblemException('not_found', `no calendar ${id}`);
    await this.policies.setDay(
      id,
      day,
      body.kind === 'normal' ? null : body.kind,
      body.note ?? null,
      who.userId,
    );
    return { day, kind: body.kind };
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
