import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { DATE_TIME, LedgerTicketDto, PageDto } from '@hotline/platform';
import {
  CALLBACK_MODES,
  EXPERT_ASSIGNMENT_OUTCOMES,
  EXPERT_CASE_STATUSES,
  NOMINATION_SOURCES,
  VERDICTS,
} from '@hotline/shared';

/*
 * The answers of expert evaluation (专业评价), for the OpenAPI document only: the service returns
 * plain objects, and test/e2e/openapi-responses.integration-spec.ts holds real answers to these
 * schemas. Who holds a case (`evaluatorId`) is in an answer for administrators only (and, of their
 * own assignments, for the evaluator).
 */

const EVALUATOR_ID = {
  type: String,
  format: 'uuid',
  description: 'Who holds (or held) it: administrators only.',
} as const;

/** An expert case (专业评价件): a ticket closed unsatisfied, and where its evaluation stands. */
export class ExpertCaseDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ example: 'transport', description: 'The unit evaluated.' })
  unitId!: string;

  @ApiProperty({ type: String, nullable: true, example: '市交通运输局' })
  unitName!: string | null;

  @ApiProperty({ enum: EXPERT_CASE_STATUSES })
  status!: string;

  @ApiProperty({
    type: 'integer',
    description: 'The assignment now (or last) held: 1 for the first evaluator.',
  })
  attempt!: number;

  @ApiProperty({ enum: VERDICTS, nullable: true, description: 'The final verdict, once decided.' })
  verdict!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The verdict's reason." })
  reason!: string | null;

  @ApiProperty(DATE_TIME)
  requestedAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  decidedAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'When the current evaluator must decide by.' })
  decideBy!: string | null;
}

/** A case in the centre's list; who holds it, for administrators. */
export class ExpertCaseItemDto extends ExpertCaseDto {
  @ApiPropertyOptional({ ...EVALUATOR_ID, nullable: true })
  evaluatorId?: string | null;
}

/** One evaluator's hold on a case: assigned, reminded, and how it ended. */
export class ExpertAssignmentDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ type: 'integer' })
  attempt!: number;

  @ApiPropertyOptional(EVALUATOR_ID)
  evaluatorId?: string;

  @ApiProperty(DATE_TIME)
  assignedAt!: string;

  @ApiProperty(DATE_TIME)
  decideBy!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'The SMS reminder (24 h after assignment).' })
  remindedAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  endedAt!: string | null;

  @ApiProperty({ enum: EXPERT_ASSIGNMENT_OUTCOMES })
  outcome!: string;
}

/** An evaluator's own assignment in their list, with the case it is of. */
export class OwnAssignmentDto extends ExpertAssignmentDto {
  @ApiProperty({ type: String, nullable: true, example: '市交通运输局' })
  unitName!: string | null;

  @ApiProperty({ enum: EXPERT_CASE_STATUSES, description: "The case's status." })
  caseStatus!: string;

  @ApiProperty({ enum: VERDICTS, nullable: true, description: 'Their verdict, when they decided it.' })
  verdict!: string | null;
}

/**
 * A page of expert cases. The centre gets the cases (`ExpertCaseItemDto`); an evaluator gets their
 * own assignments (`OwnAssignmentDto`), newest first. The fields of the one shape that the other
 * lacks are optional here.
 */
export class ExpertCaseListItemDto extends PickType(ExpertCaseItemDto, [
  'ticketNo',
  'unitName',
  'attempt',
  'verdict',
  'decideBy',
  'evaluatorId',
] as const) {
  @ApiPropertyOptional({ example: 'transport', description: 'The centre’s list.' })
  unitId?: string;

  @ApiPropertyOptional({ enum: EXPERT_CASE_STATUSES, description: 'The centre’s list.' })
  status?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The centre’s list.' })
  reason?: string | null;

  @ApiPropertyOptional({ ...DATE_TIME, description: 'The centre’s list.' })
  requestedAt?: string;

  @ApiPropertyOptional({ ...DATE_TIME, nullable: true, description: 'The centre’s list.' })
  decidedAt?: string | null;

  @ApiPropertyOptional({ ...DATE_TIME, description: "An evaluator's list." })
  assignedAt?: string;

  @ApiPropertyOptional({ ...DATE_TIME, nullable: true, description: "An evaluator's list." })
  remindedAt?: string | null;

  @ApiPropertyOptional({ ...DATE_TIME, nullable: true, description: "An evaluator's list." })
  endedAt?: string | null;

  @ApiPropertyOptional({ enum: EXPERT_ASSIGNMENT_OUTCOMES, description: "An evaluator's list." })
  outcome?: string;

  @ApiPropertyOptional({ enum: EXPERT_CASE_STATUSES, description: "An evaluator's list: the case's status." })
  caseStatus?: string;
}

export class ExpertCasePageDto extends PageDto {
  @ApiProperty({ type: [ExpertCaseListItemDto] })
  items!: ExpertCaseListItemDto[];
}

/** The ticket as the evaluator judges it (as the ledger names its fields): no personal data. */
export class ExpertCaseTicketDto extends PickType(LedgerTicketDto, [
  'ticketNo',
  'channel',
  'kind',
  'category',
  'regionCode',
  'title',
  'content',
  'createdAt',
] as const) {}

/** A reply of the unit. */
export class ExpertCaseReplyDto {
  @ApiProperty(DATE_TIME)
  at!: string;

  @ApiProperty()
  content!: string;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description:
      "The centre's review of it: true approved, false sent back to the unit (not its answer), null not reviewed.",
  })
  approved!: boolean | null;

  @ApiProperty({ description: "The centre's note with its review (why it was sent back); empty when none." })
  reviewNote!: string;
}

/** What the citizen said at a callback. */
export class ExpertCaseCallbackDto {
  @ApiProperty(DATE_TIME)
  at!: string;

  @ApiProperty({ enum: CALLBACK_MODES })
  mode!: string;

  @ApiProperty({ enum: VERDICTS, nullable: true, description: 'null: no answer.' })
  verdict!: string | null;

  @ApiProperty({ type: 'integer', description: 'The reply round it was about.' })
  round!: number;

  @ApiProperty({ description: "The operator's note (may be empty)." })
  note!: string;
}

/** A unit's objection, recorded by the centre with its answer. */
export class ExpertObjectionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  objection!: string;

  @ApiProperty()
  answer!: string;

  @ApiProperty({ description: 'The centre user who recorded it.' })
  recordedBy!: string;

  @ApiProperty(DATE_TIME)
  recordedAt!: string;
}

/** One case: the ticket, the unit's replies, the callbacks, the assignments, the objections. */
export class ExpertCaseDetailDto extends ExpertCaseDto {
  @ApiProperty({ type: ExpertCaseTicketDto, nullable: true })
  ticket!: ExpertCaseTicketDto | null;

  @ApiProperty({ type: [ExpertCaseReplyDto] })
  replies!: ExpertCaseReplyDto[];

  @ApiProperty({ type: [ExpertCaseCallbackDto] })
  callbacks!: ExpertCaseCallbackDto[];

  @ApiProperty({
    type: [ExpertAssignmentDto],
    description: 'Every assignment for the centre; an evaluator sees their own only.',
  })
  assignments!: ExpertAssignmentDto[];

  @ApiProperty({ type: [ExpertObjectionDto], description: 'Empty for an evaluator.' })
  objections!: ExpertObjectionDto[];
}

/** What a verdict or a return answers. */
export class ExpertActionResultDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({
    enum: ['decided', 'waiting_for_evaluator'],
    description: 'decided after a verdict; waiting_for_evaluator after a return (the next one is chosen).',
  })
  status!: string;
}

/** What recording an objection answers: the verdict, which stands. */
export class ObjectionRecordedDto {
  @ApiProperty({ format: 'uuid', description: 'The objection.' })
  id!: string;

  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ enum: VERDICTS, nullable: true })
  verdict!: string | null;

  @ApiProperty({ description: 'Always true: the verdict is final.' })
  verdictStands!: boolean;

  @ApiProperty({ description: 'false: a repeat of an objection already recorded (its Idempotency-Key).' })
  created!: boolean;
}

/** An expert evaluator in the pool (专业评价员库). */
export class EvaluatorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Their login (a user id), if they have one.' })
  userId!: string | null;

  @ApiProperty({ example: '陈教授' })
  name!: string;

  @ApiProperty({ example: '13900001234' })
  phone!: string;

  @ApiProperty({ example: '市人大常委会' })
  nominatedBy!: string;

  @ApiProperty({ enum: NOMINATION_SOURCES })
  source!: string;

  @ApiProperty({ example: '2026-01-01', description: 'First day of the term.' })
  termStart!: string;

  @ApiProperty({ example: '2028-01-01', description: 'First day after the two-year term.' })
  termEnd!: string;

  @ApiProperty()
  available!: boolean;

  @ApiProperty({ type: [String], description: 'Units they must never evaluate.' })
  tiedUnitIds!: string[];

  @ApiProperty({ description: 'Today is within the term.' })
  inTerm!: boolean;

  @ApiProperty({ type: 'integer', description: 'Cases they hold now.' })
  openCases!: number;
}

export class EvaluatorListDto extends PageDto {
  @ApiProperty({ type: [EvaluatorDto] })
  items!: EvaluatorDto[];
}

/** An evaluator appointed or changed. */
export class EvaluatorRefDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
}

export class OwnAvailabilityDto extends EvaluatorRefDto {
  @ApiProperty()
  available!: boolean;
}
