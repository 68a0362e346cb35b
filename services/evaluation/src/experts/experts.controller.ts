import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  idempotencyKey,
  DayBetween,
  IsDay,
  PageQuery,
  Roles,
  pageOfAll,
  NotBlank,
} from '@hotline/platform';
import { EXPERT_CASE_STATUSES, NOMINATION_SOURCES, VERDICTS } from '@hotline/shared';
import type { ExpertCaseStatus, NominationSource, Principal, Verdict } from '@hotline/shared';
import { ExpertsService } from './experts.service';

/** A term starts on a day of this century: the platform computes its end, two years on. */
const TERM_START_FROM = '2000-01-01';
const TERM_START_TO = '2099-12-31';
import {
  ExpertActionResultDto,
  ExpertCaseDetailDto,
  ExpertCasePageDto,
  EvaluatorListDto,
  EvaluatorRefDto,
  ObjectionRecordedDto,
  OwnAvailabilityDto,
} from './experts.responses';

export class ExpertCasesQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: EXPERT_CASE_STATUSES,
    description: "Only the cases in this status (an evaluator's own: by the case's status).",
  })
  @IsOptional()
  @IsIn(EXPERT_CASE_STATUSES)
  status?: ExpertCaseStatus;
}

export class ExpertVerdictDto {
  @ApiProperty({ enum: VERDICTS })
  @IsIn(VERDICTS)
  verdict!: Verdict;

  @ApiProperty({ example: '单位答复已回应核心诉求，现场问题已整改到位。', minLength: 2, maxLength: 2000 })
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  reason!: string;
}

export class ExpertReturnDto {
  @ApiProperty({ example: '该事项涉及医疗专业，本人不具备评价条件。', minLength: 2, maxLength: 2000 })
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  reason!: string;
}

export class ObjectionDto {
  @ApiProperty({
    description: "The unit's objection, as the centre received it",
    example: '该诉求已按政策答复，评价不满意理由不成立。',
  })
  @IsString()
  @Length(2, 4000)
  @NotBlank()
  objection!: string;

  @ApiProperty({
    description: "The centre's answer to the unit",
    example: '经复核，专业评价结论为最终结论，予以维持。',
  })
  @IsString()
  @Length(2, 4000)
  @NotBlank()
  answer!: string;
}

/**
 * Expert evaluation (专业评价员, PA §3). An evaluator sees and acts on only the cases assigned to
 * them; the centre sees every case (who evaluated: administrators only) and records units'
 * objections; units never reach this API.
 */
@ApiTags('expert evaluation')
@ApiBearerAuth()
@Controller('api/v1/expert-cases')
export class ExpertCasesController {
  constructor(private readonly experts: ExpertsService) {}

  @Get()
  @Roles('evaluator', 'reviewer', 'supervisor', 'admin')
  @ApiOkResponse({
    type: ExpertCasePageDto,
    description: "An evaluator's own assignments; for the centre, every case.",
  })
  list(@Query() q: ExpertCasesQuery, @CurrentPrincipal() who: Principal) {
    return this.experts.list(who, { status: q.status, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get(':ticketNo')
  @Roles('evaluator', 'reviewer', 'supervisor', 'admin')
  @ApiOkResponse({
    type: ExpertCaseDetailDto,
    description: 'The case: the ticket, the unit’s replies, the callbacks, the assignments.',
  })
  detail(@Param('ticketNo') ticketNo: string, @CurrentPrincipal() who: Principal) {
    return this.experts.detail(who, ticketNo);
  }

  @Post(':ticketNo/verdict')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('evaluator')
  @ApiOkResponse({
    type: ExpertActionResultDto,
    description: 'The final verdict (满意 / 基本满意 / 不满意) with its reason.',
  })
  verdict(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ExpertVerdictDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.experts.decide(who, ticketNo, body.verdict, body.reason, idempotencyKey(key));
  }

  @Post(':ticketNo/return')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('evaluator')
  @ApiOkResponse({
    type: ExpertActionResultDto,
    description: 'Returns the case at once as unsuited; it goes to the next evaluator.',
  })
  giveBack(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ExpertReturnDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.experts.giveBack(who, ticketNo, body.reason, idempotencyKey(key));
  }

  @Post(':ticketNo/objections')
  @ApiIdempotencyKey(
    'Optional. A repeat with the same key records nothing more and answers the objection (created: false).',
  )
  @Roles('reviewer', 'supervisor', 'admin')
  @ApiCreatedResponse({
    type: ObjectionRecordedDto,
    description: "A unit's objection recorded by the centre with its answer; the verdict stands.",
  })
  object(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ObjectionDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.experts.object(who, ticketNo, body.objection, body.answer, idempotencyKey(key));
  }
}

export class NewEvaluatorDto {
  @ApiPropertyOptional({ description: 'The login of the evaluator (role evaluator)', example: 'evaluator13' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  username?: string;

  @ApiProperty({ example: '陈教授' })
  @IsString()
  @Length(1, 100)
  @NotBlank()
  name!: string;

  @ApiProperty({ example: '13900001234' })
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{5,19}$/)
  phone!: string;

  @ApiProperty({ description: 'The nominating department or body', example: '市人大常委会' })
  @IsString()
  @Length(1, 200)
  @NotBlank()
  nominatedBy!: string;

  @ApiProperty({ enum: NOMINATION_SOURCES })
  @IsIn(NOMINATION_SOURCES)
  source!: NominationSource;

  @ApiProperty({ description: 'First day of the two-year term', example: '2026-01-01' })
  @IsDay()
  @DayBetween(TERM_START_FROM, TERM_START_TO)
  termStart!: string;

  @ApiPropertyOptional({ type: [String], description: 'Units this evaluator must never evaluate' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tiedUnitIds?: string[];
}

export class EvaluatorPatchDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  available?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  tiedUnitIds?: string[];

  @ApiPropertyOptional({
    description: 'A new (renewed) term starting this day',
    example: '2027-01-01',
  })
  @IsOptional()
  @IsDay()
  @DayBetween(TERM_START_FROM, TERM_START_TO)
  termStart?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  nominatedBy?: string;
}

export class AvailabilityDto {
  @ApiProperty()
  @IsBoolean()
  available!: boolean;
}

/** The evaluator pool: appointed and changed by administrators; each evaluator sets their own availability. */
@ApiTags('expert evaluation')
@ApiBearerAuth()
@Controller('api/v1/expert-evaluators')
export class ExpertEvaluatorsController {
  constructor(private readonly experts: ExpertsService) {}

  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: EvaluatorListDto, description: 'The pool: terms, availability, ties, open cases.' })
  async list(@Query() page: PageQuery) {
    return pageOfAll((await this.experts.evaluators()).items, page);
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: EvaluatorRefDto, description: 'Appoints an evaluator for a two-year term.' })
  appoint(@Body() body: NewEvaluatorDto, @CurrentPrincipal() who: Principal) {
    return this.experts.appointByUsername(body, who);
  }

  @Put('me/availability')
  @Roles('evaluator')
  @ApiOkResponse({
    type: OwnAvailabilityDto,
    description: 'The evaluator marks themself available or unavailable.',
  })
  availability(@Body() body: AvailabilityDto, @CurrentPrincipal() who: Principal) {
    return this.experts.setOwnAvailability(who, body.available);
  }

  @Patch(':evaluatorId')
  @Roles('admin')
  @ApiOkResponse({ type: EvaluatorRefDto, description: 'Availability, ties, a renewed term.' })
  change(
    @Param('evaluatorId') id: string,
    @Body() body: EvaluatorPatchDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.experts.change(id, body, who);
  }
}
