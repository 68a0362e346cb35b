import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME, PageDto } from '@hotline/platform';
import { INDICATOR_STATUSES, KEY_TASK_SOURCES, KEY_TASK_STATUSES } from '@hotline/shared';

/*
 * Key-task supervision's answers (督查督办系统), for the OpenAPI document only (the service returns
 * plain objects); test/e2e/openapi-responses.integration-spec.ts holds real answers to these schemas.
 */

/** A unit's progress report on an indicator, and the centre's review of it. */
export class KeyTaskReportDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  indicatorId!: string;

  @ApiProperty({ example: 'transport', description: 'The lead or an assisting unit.' })
  unitId!: string;

  @ApiProperty({ example: '已完成12条，其余8条本月底前完成。' })
  progress!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100 })
  percent!: number;

  @ApiProperty({ example: 'clerk.transport' })
  reportedBy!: string;

  @ApiProperty(DATE_TIME)
  reportedAt!: string;

  @ApiProperty({ type: Boolean, nullable: true, description: 'The review: null while it waits for one.' })
  accepted!: boolean | null;

  @ApiProperty({ type: String, nullable: true, description: 'null when accepted without a comment.' })
  reviewComment!: string | null;

  @ApiProperty({ type: String, nullable: true })
  reviewedBy!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  reviewedAt!: string | null;
}

/** An indicator of a task: a target and a date; closed off (销号) when accepted at 100 %. */
export class KeyTaskIndicatorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty({ example: '完成20条背街小巷路面修复' })
  name!: string;

  @ApiProperty({ example: '20条' })
  target!: string;

  @ApiProperty(DATE_TIME)
  dueAt!: string;

  @ApiProperty({ enum: INDICATOR_STATUSES })
  status!: string;

  @ApiProperty({ description: 'Past its date and not closed off (an order was raised on the lead unit).' })
  overdue!: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, description: 'The last accepted percentage.' })
  percent!: number;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  closedOffAt!: string | null;

  @ApiProperty({ type: [KeyTaskReportDto], description: 'Its progress reports, oldest first.' })
  reports!: KeyTaskReportDto[];
}

/** A key task as the list gives it. */
export class KeyTaskRecordDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: KEY_TASK_SOURCES })
  source!: string;

  @ApiProperty({ example: '背街小巷环境整治' })
  title!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ example: 'transport' })
  leadUnitId!: string;

  @ApiProperty({ type: [String], example: ['housing'] })
  assistingUnitIds!: string[];

  @ApiProperty({ example: 'supervisor' })
  createdBy!: string;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty({ enum: KEY_TASK_STATUSES })
  status!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'When its last indicator was closed off.' })
  closedOffAt!: string | null;
}

/** One key task with its indicators and their reports. */
export class KeyTaskDetailDto extends KeyTaskRecordDto {
  @ApiProperty({ type: [KeyTaskIndicatorDto], description: 'By date, then name.' })
  indicators!: KeyTaskIndicatorDto[];
}

export class KeyTaskPageDto extends PageDto {
  @ApiProperty({ type: [KeyTaskRecordDto] })
  items!: KeyTaskRecordDto[];
}
