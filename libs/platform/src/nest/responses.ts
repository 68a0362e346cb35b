import { AttachmentDto } from './attachments';
import { DurationDto } from './dtos';
import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import {
  APPEAL_KINDS,
  COMPLAINT_NATURES,
  ASSIGNMENT_STATUSES,
  EVALUATION_ON_RECORD,
  ALL_CHANNEL_DETAILS,
  CHANNELS,
  COORDINATION_LEVELS,
  ORDER_KINDS,
  ORDER_OUTCOMES,
  ORDER_STAGES,
  ORDER_TRIGGERS,
  TICKET_EVENT_TYPES,
  TICKET_STATUSES,
} from '@hotline/shared';

/*
 * The bodies of the ticket core's answers (and of the supervision orders a unit answers), for the OpenAPI documents only: the services return
 * plain objects, and test/e2e/openapi-responses.integration-spec.ts holds real answers to these
 * schemas (no field missing, none undocumented).
 */

/** An instant on the wire: an ISO 8601 string, as every answer gives one. */
export const DATE_TIME = { type: String, format: 'date-time' } as const;

/** A ticket's entry in the yearly archive (RULES §8): the year it was sealed under, its record's digest. */
export class TicketArchiveDto {
  @ApiProperty({ example: 2025 })
  year!: number;

  @ApiProperty({ format: 'date-time' })
  closedAt!: string;

  @ApiProperty({ description: "SHA-256 of the ticket's whole record as sealed." })
  digest!: string;

  @ApiProperty({
    description:
      'The digest the record is checked against: its latest amendment’s (补充归档), else the sealed one.',
  })
  standingDigest!: string;

  @ApiProperty({ example: 0, description: 'How many times the record was entered again since its seal.' })
  amendments!: number;
}

/** What an accepted ticket action answers (sign, reply, return, extension, the centre's decisions). */
export class TicketActionResultDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ enum: TICKET_STATUSES, description: "The ticket's status as the workflow decided it." })
  status!: string;

  @ApiProperty({ description: 'true when the action had already been applied: actions are idempotent.' })
  alreadyApplied!: boolean;
}

/** A reminder or supervision order (催办/督办) on a ticket, as the service's copy has it. */
export class OrderOnTicketDto {
  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ enum: ORDER_KINDS })
  kind!: string;

  @ApiProperty({ enum: ORDER_TRIGGERS })
  trigger!: string;

  @ApiProperty({ type: String, nullable: true })
  instruction!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  respondBy!: string | null;

  @ApiProperty({ type: 'integer' })
  round!: number;

  @ApiProperty({ enum: ['open', 'answered', 'closed'] })
  status!: string;

  @ApiProperty()
  overdue!: boolean;

  @ApiProperty(DATE_TIME)
  raisedAt!: string;
}

/**
 * One recorded event of a ticket: what a unit keeps of its own actions on a ticket withdrawn from
 * it, and the base of a history entry.
 */
/** A progress note (办理进度) on a ticket, by a unit that holds it. */
export class ProgressNoteRecordDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ example: '已联系管线单位现场勘查，定于下周施工。' })
  content!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The clerk who noted it.' })
  notedBy!: string | null;

  @ApiProperty(DATE_TIME)
  notedAt!: string;
}

/** A coordination (协调) of the ticket, as the units on it read it. */
export class CoordinationRecordDto {
  @ApiProperty({
    enum: COORDINATION_LEVELS,
    description: 'Who designated the lead: the centre or the leadership group.',
  })
  level!: string;

  @ApiProperty({ example: 'housing', description: 'The lead unit designated (牵头单位).' })
  unitId!: string;

  @ApiProperty({ example: 'transport', description: 'The lead unit the ticket was taken from.' })
  fromUnitId!: string;

  @ApiProperty({ type: [String], description: 'The assisting units it named (协办单位).' })
  assistingUnitIds!: string[];

  @ApiProperty({ example: '职责交叉，经协调由住建局牵头办理。', description: "The centre's reason." })
  reason!: string;

  @ApiProperty({ ...DATE_TIME })
  at!: string;
}

/** What the centre decided on the unit's handling, or what the citizen answered at a callback. */
export class CentreDecisionDto {
  @ApiProperty({
    enum: [
      'ticket.reply_reviewed',
      'ticket.return_decided',
      'ticket.extension_decided',
      'ticket.rectification_ordered',
      'ticket.callback_answered',
    ],
    description:
      'A reply reviewed (sent back: `approved` false, `note` says what to complete), a return or an ' +
      'extension request decided, a rectification ordered, or (for the lead) a callback answer.',
  })
  type!: string;

  @ApiProperty({ ...DATE_TIME })
  at!: string;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Approved or not; null where nothing was approved.',
  })
  approved!: boolean | null;

  @ApiProperty({
    example: '答复未附现场照片，请补充。',
    description: "The centre's note, or the callback's.",
  })
  note!: string;

  @ApiProperty({
    ...DATE_TIME,
    nullable: true,
    description: 'The unit’s reply deadline this decision set (sent back, extended, rectification).',
  })
  completeDueAt!: string | null;

  @ApiProperty({ type: DurationDto, nullable: true, description: 'The extension granted.' })
  granted!: DurationDto | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'A callback answer: the citizen’s verdict (null: none).',
  })
  verdict!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['sms', 'manual', null],
    description: 'A callback answer: how.',
  })
  mode!: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'A callback answer or rectification: its round.',
  })
  round!: number | null;
}

/** One step of a hub's pass of the ticket to its sub-unit (RULES §2 multi-level handling). */
export class SubDispatchRecordDto {
  @ApiProperty({
    enum: [
      'ticket.sub_dispatched',
      'ticket.sub_signed',
      'ticket.sub_recalled',
      'ticket.sub_declined',
      'ticket.sub_replied',
      'ticket.sub_reply_reviewed',
      'ticket.sub_reminded',
      'ticket.sub_overdue',
      'ticket.reminded',
      'ticket.overdue',
    ],
    description:
      "`ticket.reminded` and `ticket.overdue` (deadline `sign`): the sub-unit's sign time, reminded and run out.",
  })
  type!: string;

  @ApiProperty({ example: 'gulou-hunan' })
  subUnitId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      "As recorded: the hub's note and the sub-unit's number (dispatched), the reason and the count of " +
      'declines (declined), the result (replied), the leader and the decision (reviewed).',
  })
  data!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, description: 'The clerk who did it.' })
  by!: string | null;

  @ApiProperty(DATE_TIME)
  at!: string;
}

export class UnitActionRecordDto {
  @ApiProperty({ type: 'integer' })
  seq!: number;

  @ApiProperty({ enum: TICKET_EVENT_TYPES })
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Who acted: kind, role, userId, unitId.',
  })
  actor!: object;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's data (its schema in libs/shared).",
  })
  data!: object;

  @ApiProperty(DATE_TIME)
  occurredAt!: string;
}

/** One event of a ticket's history (its record, 台账). */
export class TicketHistoryEntryDto extends UnitActionRecordDto {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      "The ticket's state after the event, as the workflow decided it: status, unitId, assignments.",
  })
  state!: object | null;
}

/** What the evaluation decided of a ticket, on its record (EVALUATION_ON_RECORD). */
export class EvaluationOnTicketDto {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ enum: EVALUATION_ON_RECORD })
  type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Who decided: kind and role (an evaluator is never named).',
  })
  actor!: object;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's data (its schema in libs/shared/src/evaluation/events.ts).",
  })
  data!: object;

  @ApiProperty(DATE_TIME)
  occurredAt!: string;
}

/** A policy set, by its code and version. */
export class PolicyRefDto {
  @ApiProperty({ example: 'SQ' })
  code!: string;

  @ApiProperty({ example: 1, minimum: 1 })
  version!: number;
}

/** A ticket in the ledger (台账). */
export class LedgerTicketDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '(2026)领001号',
    description:
      "A leader-mailbox (领) or network (网: web, WeChat, app, e-mail, forum) item's registry number of its channel and year; null for other channels.",
  })
  registryNo!: string | null;

  @ApiProperty({ enum: CHANNELS })
  channel!: string;

  @ApiProperty({
    enum: ALL_CHANNEL_DETAILS,
    nullable: true,
    description:
      'Which leader mailbox or upper platform it came through; null: not said, or another channel.',
  })
  channelDetail!: string | null;

  @ApiProperty({ enum: APPEAL_KINDS })
  kind!: string;

  @ApiProperty({ example: 'road' })
  category!: string;

  @ApiProperty({ example: 'gulou' })
  regionCode!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty()
  content!: string;

  @ApiProperty({ type: String, nullable: true })
  address!: string | null;

  @ApiProperty()
  confidential!: boolean;

  @ApiProperty({
    description:
      'A real-name appeal (实名): the complainant gave their name (RULES §1: anonymous appeals are accepted, real-name ones prioritised; the desk orders them first with sort=priority). On a unit’s desk a confidential ticket counts as anonymous: a unit never learns whether its complainant gave a name.',
  })
  realName!: boolean;

  @ApiProperty({
    enum: COMPLAINT_NATURES,
    nullable: true,
    description: 'A complaint or report about officials: its nature (效能投诉, 纠风, 廉政举报); else null.',
  })
  complaintNature!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The party complained about (被反映人).' })
  respondent!: string | null;

  @ApiProperty({ type: String, nullable: true, description: "The citizen's demand (诉求)." })
  demand!: string | null;

  @ApiProperty({ enum: TICKET_STATUSES })
  status!: string;

  @ApiProperty({ example: '已签收', description: 'The status in Chinese.' })
  statusLabel!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The lead unit, once dispatched.' })
  unitId!: string | null;

  @ApiProperty({
    type: [String],
    description:
      'The assisting units (协办单位): those asked for at registration until the ticket is on a desk, then those the workflow holds.',
  })
  assistingUnitIds!: string[];

  @ApiProperty({ example: 'operator' })
  createdBy!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  workflowStartedAt!: string | null;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty(DATE_TIME)
  updatedAt!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The time-limit policy the ticket started with: code, version, limits, calendarId, ruleIds.',
  })
  policy!: object | null;

  @ApiProperty({
    type: PolicyRefDto,
    nullable: true,
    description:
      'The policy set whose limits the ticket’s deadlines follow now: the one it started with, or the one an ' +
      'administrator re-applied to it (`POST /admin/tickets/{ticketNo}/reapply-policy`); null: none (a ticket ' +
      'written by hand).',
  })
  policyInForce!: PolicyRefDto | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'How intake disposed of it: dispatch, direct_answer or not_accepted.',
  })
  disposition!: object | null;

  @ApiProperty({ type: String, nullable: true, example: '张**', description: 'Masked.' })
  complainantName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '138****8000', description: 'Masked.' })
  complainantPhone!: string | null;

  @ApiPropertyOptional({ type: [TicketHistoryEntryDto], description: "One ticket's answer: its history." })
  history?: TicketHistoryEntryDto[];

  @ApiPropertyOptional({
    type: [OrderOnTicketDto],
    description: "One ticket's answer: the reminders and orders on it.",
  })
  supervisionOrders?: OrderOnTicketDto[];

  @ApiPropertyOptional({
    type: [EvaluationOnTicketDto],
    description:
      "One ticket's answer: what the evaluation decided of it (the expert's verdict and the objections answered, the public vote's result, a reconsideration), oldest first.",
  })
  evaluation?: EvaluationOnTicketDto[];

  @ApiPropertyOptional({
    type: [AttachmentDto],
    description: "One ticket's answer: the files on its record (RULES §8), each downloaded on its own.",
  })
  attachments?: AttachmentDto[];

  @ApiPropertyOptional({
    type: TicketArchiveDto,
    nullable: true,
    description: "One ticket's answer: its entry in the yearly archive (RULES §8), once its year is sealed.",
  })
  archive?: TicketArchiveDto | null;

  @ApiPropertyOptional({
    example: '042917',
    description:
      "One ticket's answer, to an operator or administrator: the citizen's query code (查询码), to tell again a caller who lost it.",
  })
  queryCode?: string;
}

/** The paging of a list's answer (every list answers `{ items, total, limit, offset }`). */
export abstract class PageDto {
  @ApiProperty({ type: 'integer', description: 'How many items the whole list has.' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  limit!: number;

  @ApiProperty({ type: 'integer' })
  offset!: number;
}

/** A ticket's files, a page of them. */
export class AttachmentListDto extends PageDto {
  @ApiProperty({ type: [AttachmentDto] })
  items!: AttachmentDto[];
}

export class LedgerPageDto extends PageDto {
  @ApiProperty({ type: [LedgerTicketDto] })
  items!: LedgerTicketDto[];
}

/**
 * A ticket on a unit's desk. With `access: full` (the unit handles it) the ticket's fields come
 * too (as the ledger names them; the complainant masked, or null on a confidential ticket); with
 * `own_actions` (it was withdrawn from the unit) only the unit's own assignment.
 */
export class DeskTicketDto extends PartialType(
  PickType(LedgerTicketDto, [
    'status',
    'statusLabel',
    'channel',
    'channelDetail',
    'kind',
    'category',
    'regionCode',
    'title',
    'content',
    'address',
    'respondent',
    'demand',
    'confidential',
    'realName',
    'complaintNature',
    'createdAt',
    'complainantName',
    'complainantPhone',
  ] as const),
) {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({
    enum: ['lead', 'assisting', 'sub'],
    description:
      '`sub`: the unit is a sub-unit its hub passed the ticket to (RULES §2 multi-level handling).',
  })
  role!: string;

  @ApiProperty({ enum: ASSIGNMENT_STATUSES })
  assignmentStatus!: string;

  @ApiProperty({
    example: '待签收',
    description:
      'Where the ticket stands for this unit, in Chinese (`statusLabel` is the ticket’s own: an ' +
      'assisting or sub-unit may have yet to sign a ticket its lead has signed).',
  })
  assignmentStatusLabel!: string;

  @ApiProperty(DATE_TIME)
  dispatchedAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  signDueAt!: string | null;

  @ApiProperty({
    ...DATE_TIME,
    nullable: true,
    description:
      "The lead unit's reply (completion) deadline as the workflow last set it: at dispatch, an " +
      'extension decided, a reply sent back, a rectification ordered. Null for an assisting unit.',
  })
  completeDueAt!: string | null;

  @ApiProperty({
    ...DATE_TIME,
    nullable: true,
    description:
      'Until when the lead unit may return the ticket (SQ: 12 h after dispatch). Null for an assisting unit, ' +
      'and for a lead the centre designated by coordination (it may not return the ticket).',
  })
  returnWindowEndsAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  signedAt!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  repliedAt!: string | null;

  @ApiProperty({ enum: ['full', 'own_actions'] })
  access!: string;

  @ApiPropertyOptional({
    type: [OrderOnTicketDto],
    description: "One ticket's answer with full access: the reminders and orders addressed to the unit.",
  })
  supervisionOrders?: OrderOnTicketDto[];

  @ApiPropertyOptional({
    type: [EvaluationOnTicketDto],
    description:
      "One ticket's answer with full access: what the evaluation decided about the unit on it (the expert's verdict and the objections the centre answered, the vote's result, a reconsideration), oldest first.",
  })
  evaluation?: EvaluationOnTicketDto[];

  @ApiPropertyOptional({
    type: [ProgressNoteRecordDto],
    description:
      "One ticket's answer with full access: the progress notes (办理进度) of every unit on it, oldest first.",
  })
  progressNotes?: ProgressNoteRecordDto[];

  @ApiPropertyOptional({
    type: [SubDispatchRecordDto],
    description:
      "One ticket's answer with full access: the hub's passes to its sub-units, oldest first (the hub " +
      'sees all of them, a sub-unit its own, an assisting unit none).',
  })
  subDispatches?: SubDispatchRecordDto[];

  @ApiPropertyOptional({
    type: CoordinationRecordDto,
    nullable: true,
    description:
      "One ticket's answer with full access: the latest coordination (协调) of the ticket, null when " +
      'none: the lead the centre (or the leadership group) designated, from which unit, and why.',
  })
  coordination?: CoordinationRecordDto | null;

  @ApiPropertyOptional({
    type: [CentreDecisionDto],
    description:
      "One ticket's answer with full access: what the centre decided on the unit's handling, oldest " +
      'first (a reply sent back and why, a return or an extension decided, a rectification ordered), ' +
      "and for the lead the citizen's callback answers.",
  })
  centreDecisions?: CentreDecisionDto[];

  @ApiPropertyOptional({
    type: [AttachmentDto],
    description:
      "One ticket's answer with full access: the files on its record the unit may see (its own, the " +
      "centre's shared ones; the lead every unit's, a sub-unit its hub's too).",
  })
  attachments?: AttachmentDto[];

  @ApiPropertyOptional({
    type: [UnitActionRecordDto],
    description: "One ticket's answer with own_actions access: what the unit did on it.",
  })
  actions?: UnitActionRecordDto[];
}

/** A unit's tickets by its assignment status. */
export class DeskStatusCountsDto {
  @ApiProperty({ type: 'integer', description: 'On the desk, not signed (待签收).' })
  dispatched!: number;

  @ApiProperty({ type: 'integer', description: 'Signed, being handled (办理中).' })
  signed!: number;

  @ApiProperty({ type: 'integer', description: "Returned, awaiting the centre's decision." })
  returned!: number;

  @ApiProperty({ type: 'integer', description: 'Replied, under review or callback.' })
  replied!: number;

  @ApiProperty({ type: 'integer', description: 'In rectification (核实整改).' })
  rectifying!: number;

  @ApiProperty({ type: 'integer' })
  closed!: number;

  @ApiProperty({ type: 'integer', description: 'Taken from the unit by an approved return.' })
  withdrawn!: number;
}

/** A unit's desk at a glance. */
export class DeskSummaryDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ ...DATE_TIME, description: 'When the figures were taken.' })
  at!: string;

  @ApiProperty({ type: DeskStatusCountsDto })
  byStatus!: DeskStatusCountsDto;

  @ApiProperty({
    type: 'integer',
    description:
      'Tickets past what is due from the unit: the sign deadline of one not signed, the reply deadline ' +
      'of one signed or in rectification.',
  })
  pastDue!: number;

  @ApiProperty({
    type: 'integer',
    description: 'Tickets whose sign or reply deadline falls within the hour.',
  })
  dueWithinHour!: number;
}

export class DeskPageDto extends PageDto {
  @ApiProperty({ type: [DeskTicketDto] })
  items!: DeskTicketDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The next page: `?after=` this, with the same order and filters; null on the last page.',
  })
  nextCursor!: string | null;
}

/** What registering a ticket answers. */
export class TicketCreatedDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '(2026)领001号',
    description: "A leader-mailbox or network item's registry number of its channel and year; else null.",
  })
  registryNo!: string | null;

  @ApiProperty({
    example: '042917',
    description:
      'The query code (查询码): with the ticket number, the citizen looks the ticket up (POST /api/v1/public/ticket-lookup). Tell it to the citizen; the same ticket always has the same code.',
  })
  queryCode!: string;

  @ApiProperty({ enum: TICKET_STATUSES })
  status!: string;

  @ApiProperty({ description: 'false when an earlier request with the same Idempotency-Key made it.' })
  created!: boolean;

  @ApiProperty({ description: 'Whether its workflow has started yet (it starts right after the commit).' })
  workflowStarted!: boolean;
}

/** A reminder or supervision order (催办/督办): its clock, the unit's answer and the review. */
export class SupervisionOrderDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: ORDER_KINDS })
  kind!: string;

  @ApiProperty({ enum: ORDER_TRIGGERS })
  trigger!: string;

  @ApiProperty({ enum: ORDER_STAGES, description: 'Before or after the ticket closed.' })
  stage!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The ticket it is about, if any.' })
  ticketNo!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The key task it is about, if any.' })
  taskId!: string | null;

  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty()
  instruction!: string;

  @ApiProperty({ example: 'supervisor' })
  raisedBy!: string;

  @ApiProperty(DATE_TIME)
  raisedAt!: string;

  @ApiProperty({ ...DATE_TIME, description: 'When the unit must answer by (this round).' })
  respondBy!: string;

  @ApiProperty({ type: 'integer', description: 'The round: each sending back opens a new one.' })
  round!: number;

  @ApiProperty({ enum: ['open', 'answered', 'closed'] })
  status!: string;

  @ApiProperty({ type: 'integer', description: 'Reminders sent on this order.' })
  reminders!: number;

  @ApiProperty({ description: 'Past its respond-by time now, unanswered.' })
  overdue!: boolean;

  @ApiProperty({ description: 'Went overdue at some point.' })
  wentOverdue!: boolean;

  @ApiProperty({ type: 'integer', description: 'How often its answer was sent back.' })
  sentBack!: number;

  @ApiProperty({ type: String, nullable: true, description: "The unit's answer." })
  response!: string | null;

  @ApiProperty({ type: String, nullable: true })
  answeredBy!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  answeredAt!: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Whether the answer came after respondBy.' })
  late!: boolean | null;

  @ApiProperty({ type: String, nullable: true })
  reviewComment!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reviewedBy!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  reviewedAt!: string | null;

  @ApiProperty({ enum: ORDER_OUTCOMES, nullable: true })
  outcome!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  closedAt!: string | null;
}

export class SupervisionOrderPageDto extends PageDto {
  @ApiProperty({ type: [SupervisionOrderDto] })
  items!: SupervisionOrderDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The next page: `?after=` this, with the same filters; null on the last page.',
  })
  nextCursor!: string | null;
}

/** An entry of the matter catalog (承办事项库). */
export class CatalogEntryDto {
  @ApiProperty({ example: 'm-road' })
  id!: string;

  @ApiProperty({ example: '道路破损维修' })
  name!: string;

  @ApiProperty({ example: 'road' })
  category!: string;

  @ApiProperty({ type: String, nullable: true, example: 'gulou', description: 'null: city-wide.' })
  regionCode!: string | null;

  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ type: 'integer', example: 100 })
  priority!: number;

  @ApiProperty()
  active!: boolean;
}

export class CatalogEntryPageDto extends PageDto {
  @ApiProperty({ type: [CatalogEntryDto] })
  items!: CatalogEntryDto[];
}

/** A unit's application to change the matter catalog, and the centre's decision on it. */
export class CatalogApplicationDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ enum: ['add', 'change', 'remove'] })
  action!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The entry changed or removed; for an approved addition, the entry it made.',
  })
  entryId!: string | null;

  @ApiProperty({ type: String, nullable: true })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true })
  category!: string | null;

  @ApiProperty({ type: String, nullable: true })
  regionCode!: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  priority!: number | null;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ enum: ['pending', 'approved', 'refused'] })
  status!: string;

  @ApiProperty()
  appliedBy!: string;

  @ApiProperty(DATE_TIME)
  appliedAt!: string;

  @ApiProperty({ type: String, nullable: true })
  decidedBy!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  decidedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  decisionNote!: string | null;
}

export class CatalogApplicationPageDto extends PageDto {
  @ApiProperty({ type: [CatalogApplicationDto] })
  items!: CatalogApplicationDto[];
}

/** A version of a unit's knowledge-base entry (知识库). */
export class KnowledgeVersionDto {
  @ApiProperty({ format: 'uuid', description: 'This version.' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The entry: its versions share it.' })
  entryId!: string;

  @ApiProperty({ example: 'housing' })
  unitId!: string;

  @ApiProperty({ example: '老旧小区加装电梯补贴标准' })
  title!: string;

  @ApiProperty({ example: '既有住宅加装电梯，市级财政按每台20万元给予补贴……' })
  content!: string;

  @ApiProperty({ type: [String], example: ['加装电梯', '补贴'] })
  keywords!: string[];

  @ApiProperty({
    type: String,
    nullable: true,
    example: '2027-12-31',
    description: 'Review by this day; stale after.',
  })
  validUntil!: string | null;

  @ApiPropertyOptional({
    description:
      'In the operators’ search: past its review day (validUntil), so outdated perhaps; answer from it with care ' +
      'and ask its unit to review it.',
  })
  stale?: boolean;

  @ApiProperty({ enum: ['pending', 'published', 'refused', 'superseded', 'withdrawn'] })
  status!: string;

  @ApiProperty()
  writtenBy!: string;

  @ApiProperty(DATE_TIME)
  writtenAt!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The unit leader who reviewed it.' })
  leaderName!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reviewedBy!: string | null;

  @ApiProperty({
    description:
      "Reviewed by the unit's leader in person, from the leader's own account (经领导审核); false: a clerk recorded the leader's decision by name (代录), or no review yet.",
  })
  reviewedByLeader!: boolean;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  reviewedAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reviewNote!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  withdrawnAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  withdrawalReason!: string | null;
}

export class KnowledgeVersionPageDto extends PageDto {
  @ApiProperty({ type: [KnowledgeVersionDto] })
  items!: KnowledgeVersionDto[];
}
