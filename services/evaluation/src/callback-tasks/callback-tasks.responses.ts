import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME, PageDto } from '@hotline/platform';
import { CALLBACK_ATTEMPT_OUTCOMES, VERDICTS } from '@hotline/shared';

/*
 * The manual-callback queue's answers, for the OpenAPI document only (the service returns plain
 * objects); test/e2e/openapi-responses.integration-spec.ts holds real answers to these schemas.
 */

/** A manual callback (人工回访) waiting in the operators' queue, or done. */
export class CallbackTaskDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ type: 'integer', description: 'The callback round (a new one after a rectification).' })
  round!: number;

  @ApiProperty()
  title!: string;

  @ApiProperty({ example: 'road' })
  category!: string;

  @ApiProperty({ type: String, nullable: true, example: 'transport' })
  unitId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '市交通运输局' })
  unitName!: string | null;

  @ApiProperty({ ...DATE_TIME, description: 'When the manual callback is due.' })
  dueAt!: string;

  @ApiProperty({ description: 'Whether the citizen answered the SMS.' })
  smsAnswered!: boolean;

  @ApiProperty({ enum: VERDICTS, nullable: true })
  smsVerdict!: string | null;

  @ApiProperty({ enum: ['open', 'done'] })
  status!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Who holds it (null when free).' })
  claimedBy!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  claimedAt!: string | null;

  @ApiProperty({ enum: ['free', 'mine', 'theirs'], description: "Who holds it, from the caller's side." })
  claim!: string;

  @ApiProperty({ type: 'integer', description: 'Seconds until it is due (negative: overdue).' })
  secondsLeft!: number;

  @ApiProperty(DATE_TIME)
  openedAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  closedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'How it closed: the verdict, or why not.' })
  closedAs!: string | null;

  @ApiProperty({ type: 'integer', description: 'Failed calls recorded.' })
  attempts!: number;

  @ApiProperty({ enum: CALLBACK_ATTEMPT_OUTCOMES, nullable: true, description: 'The last failed call.' })
  lastAttempt!: string | null;
}

export class CallbackTaskPageDto extends PageDto {
  @ApiProperty({ type: [CallbackTaskDto] })
  items!: CallbackTaskDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The next page: `?after=` this, with the same status; null on the last page.',
  })
  nextCursor!: string | null;
}

/** One failed call. */
export class CallbackCallDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: CALLBACK_ATTEMPT_OUTCOMES })
  outcome!: string;

  @ApiProperty()
  note!: string;

  @ApiProperty({ example: 'operator' })
  calledBy!: string;

  @ApiProperty(DATE_TIME)
  at!: string;
}

export class CallbackTaskDetailDto extends CallbackTaskDto {
  @ApiProperty({ type: [CallbackCallDto] })
  calls!: CallbackCallDto[];
}

/** Whether the calls so far let the operator record the citizen as unreachable, and if not why. */
export class UnreachableRuleDto {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ required: false, example: '还需再拨打2次（不同时段）' })
  reason?: string;
}

export class CallbackAttemptAnswerDto extends CallbackTaskDetailDto {
  @ApiProperty({ type: UnreachableRuleDto })
  unreachable!: UnreachableRuleDto;
}
