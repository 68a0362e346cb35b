import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATE_TIME } from '@hotline/platform';
import { ASSESSMENT_ITEM_KEYS, ASSESSMENT_PERIOD_KINDS, BONUS_POINTS } from '@hotline/shared';

/*
 * The unit assessment's answers (libs/shared/src/supervision/assessment.ts), for the OpenAPI
 * document only (the service returns plain objects); test/e2e/openapi-responses.integration-spec.ts
 * holds real answers to these schemas.
 */

/** An assessment period, China time: `from` inclusive, `to` exclusive. */
export class AssessmentPeriodDto {
  @ApiProperty({ example: '2026-Q4', description: 'YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY.' })
  key!: string;

  @ApiProperty({ enum: ASSESSMENT_PERIOD_KINDS })
  kind!: string;

  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;

  @ApiProperty({ example: '2026年第四季度' })
  label!: string;
}

/** Points lost on an item, with the tickets they were lost on (none for a rate short of its target). */
export class AssessmentDeductionDto {
  @ApiProperty({ example: '超时签收' })
  reason!: string;

  @ApiProperty({ example: 0.5 })
  points!: number;

  @ApiProperty({ type: [String], example: ['20261123000001'] })
  tickets!: string[];

  @ApiPropertyOptional({
    type: [String],
    description:
      'The leader’s instructions (ids) the deduction is for: the instructed item only, whatever each is on ' +
      '(an instruction on a key task names no ticket).',
  })
  instructions?: string[];
}

/** One item of the 100 points. */
export class AssessmentItemDto {
  @ApiProperty({ enum: ASSESSMENT_ITEM_KEYS })
  key!: string;

  @ApiProperty({ example: '按时签收与答复' })
  label!: string;

  @ApiProperty({ type: 'integer', example: 20 })
  max!: number;

  @ApiProperty({ example: 19.5 })
  score!: number;

  @ApiProperty({ type: [AssessmentDeductionDto], description: 'Only those that lost points.' })
  deductions!: AssessmentDeductionDto[];
}

/** The period's rates, 0–1; null with nothing to count. */
export class AssessmentRatesDto {
  @ApiProperty({ type: Number, nullable: true, example: 0.96 })
  completion!: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 0.92 })
  satisfaction!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Leader-instructed cases completed.' })
  instructed!: number | null;
}

/** A unit's score for the period: 100 points and a bonus. */
export class AssessmentDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ type: [AssessmentItemDto] })
  items!: AssessmentItemDto[];

  @ApiProperty({ description: 'The items summed, out of 100.' })
  base!: number;

  @ApiProperty({ description: 'One award per event, at its highest.' })
  bonus!: number;

  @ApiProperty()
  total!: number;

  @ApiProperty({ type: AssessmentRatesDto })
  rates!: AssessmentRatesDto;

  @ApiProperty({ type: 'integer', description: 'Tickets due in the period: the ranking needs enough.' })
  sample!: number;
}

/** The centre's manual items as entered (0 when not entered). */
export class UnitManualScoresDto {
  @ApiProperty({ description: '领导重视, 0–15.' })
  leadership!: number;

  @ApiProperty({ description: '制度建设, 0–15.' })
  rules!: number;
}

export class UnitBonusRefDto {
  @ApiProperty({ enum: Object.keys(BONUS_POINTS) })
  kind!: string;

  @ApiProperty({ example: '市长批示2026-118号' })
  ref!: string;
}

/** The facts a unit is scored on for the period, the tickets named. */
export class UnitPeriodFactsDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ type: [String], description: 'Tickets signed after the sign deadline.' })
  lateSigns!: string[];

  @ApiProperty({ type: [String], description: 'Tickets whose reply went overdue without an extension.' })
  overdueReplies!: string[];

  @ApiProperty({
    type: 'integer',
    description:
      'Tickets due for completion in the period: the reply deadline falls in it and has passed, or the unit ' +
      'has replied. A ticket still within its time is not due yet.',
  })
  due!: number;

  @ApiProperty({ type: 'integer', description: 'Of those, completed on time.' })
  completed!: number;

  @ApiProperty({ type: [String], description: 'Of those, the tickets not completed on time.' })
  notCompleted!: string[];

  @ApiProperty({ type: 'integer', description: 'Tickets with a counted verdict.' })
  evaluated!: number;

  @ApiProperty({ type: 'integer', description: 'Of those, satisfied or basically satisfied.' })
  satisfied!: number;

  @ApiProperty({ type: [String], description: 'Of those, the tickets with a verdict of unsatisfied.' })
  unsatisfied!: string[];

  @ApiProperty({ type: [String], description: 'Refusals to sign (one entry per refusal).' })
  refusals!: string[];

  @ApiProperty({ type: [String], description: "Tickets with a complaint about the unit's attitude." })
  attitudeComplaints!: string[];

  @ApiProperty({ type: 'integer', description: 'Leader-instructed cases issued in the period.' })
  instructed!: number;

  @ApiProperty({ type: 'integer', description: 'Of those, completed.' })
  instructedCompleted!: number;

  @ApiProperty({ type: [String], description: 'The tickets of those not completed.' })
  instructedOpen!: string[];

  @ApiProperty({
    type: [String],
    description: 'The instructions (ids) not completed, on a ticket, an order or a key task.',
  })
  instructionsOpen!: string[];

  @ApiProperty({ type: UnitManualScoresDto })
  manual!: UnitManualScoresDto;

  @ApiProperty({ type: [UnitBonusRefDto] })
  bonuses!: UnitBonusRefDto[];
}

/** One unit's facts and score for a period (and what setting its manual items answers). */
export class UnitAssessmentDto {
  @ApiProperty({ type: AssessmentPeriodDto })
  period!: AssessmentPeriodDto;

  @ApiProperty({ type: UnitPeriodFactsDto })
  facts!: UnitPeriodFactsDto;

  @ApiProperty({ type: AssessmentDto })
  assessment!: AssessmentDto;
}

/** A unit in the ranking: ranked, or listed unranked with the reason. */
export class RankedUnitDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ example: '市交通运输局' })
  unitName!: string;

  @ApiProperty()
  total!: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Ties share a rank; null when unranked.' })
  rank!: number | null;

  @ApiProperty({ type: String, nullable: true, example: '样本不足（12件，少于30件）' })
  unrankedReason!: string | null;

  @ApiProperty({ description: "Whether the centre's manual items are entered for the period." })
  manualEntered!: boolean;

  @ApiProperty({ type: AssessmentDto })
  assessment!: AssessmentDto;
}

/** Every unit scored for a period, ranked (the ranked first), with the minimum sample. */
export class AssessmentRankingDto {
  @ApiProperty({ type: AssessmentPeriodDto })
  period!: AssessmentPeriodDto;

  @ApiProperty({ type: 'integer', example: 30, description: 'Tickets due a unit needs to be ranked.' })
  minSample!: number;

  @ApiProperty({ description: 'The rule, in Chinese, for the published table.' })
  rule!: string;

  @ApiProperty({ type: [RankedUnitDto] })
  items!: RankedUnitDto[];
}

/** A published ranking, as it stood when published. */
export class AssessmentPublicationDto {
  @ApiProperty({ example: '2026-Q3' })
  period!: string;

  @ApiProperty({ type: AssessmentRankingDto })
  ranking!: AssessmentRankingDto;

  @ApiProperty({ example: 'supervisor' })
  publishedBy!: string;

  @ApiProperty(DATE_TIME)
  publishedAt!: string;
}

/** A complaint about a unit's attitude, as recorded. */
export class AttitudeComplaintRecordDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ example: 'transport', description: "The ticket's lead unit, charged with it." })
  unitId!: string;

  @ApiProperty()
  note!: string;

  @ApiProperty({ example: 'supervisor' })
  recordedBy!: string;

  @ApiProperty(DATE_TIME)
  recordedAt!: string;
}
