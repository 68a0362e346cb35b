import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  idempotencyKey,
  IsInstant,
  PageQuery,
  Roles,
  UnitFilter,
  NotBlank,
} from '@hotline/platform';
import { KEY_TASK_SOURCES } from '@hotline/shared';
import type { KeyTaskSource, Principal } from '@hotline/shared';
import { KeyTaskDetailDto, KeyTaskPageDto } from './key-tasks.responses';
import { KeyTasksService } from './key-tasks.service';

export class IndicatorDto {
  @ApiProperty({ example: '完成20条背街小巷路面修复' })
  @IsString()
  @Length(2, 200)
  @NotBlank()
  name!: string;

  @ApiProperty({ example: '20条' })
  @IsString()
  @Length(1, 200)
  @NotBlank()
  target!: string;

  @ApiProperty({ example: '2026-12-31T16:00:00Z', format: 'date-time' })
  @IsInstant()
  dueAt!: string;
}

export class KeyTaskDto {
  @ApiProperty({ enum: KEY_TASK_SOURCES })
  @IsIn(KEY_TASK_SOURCES)
  source!: KeyTaskSource;

  @ApiProperty({ example: '背街小巷环境整治' })
  @IsString()
  @Length(2, 200)
  @NotBlank()
  title!: string;

  @ApiProperty({ example: '市政府常务会议确定的年度重点工作。' })
  @IsString()
  @Length(2, 4000)
  @NotBlank()
  description!: string;

  @ApiProperty({ example: 'transport' })
  @IsString()
  @Length(1, 64)
  leadUnitId!: string;

  @ApiPropertyOptional({ example: ['housing'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  assistingUnitIds?: string[];

  @ApiProperty({ type: [IndicatorDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators!: IndicatorDto[];
}

export class ProgressReportDto {
  @ApiProperty({ example: '已完成12条，其余8条本月底前完成。' })
  @IsString()
  @Length(2, 4000)
  @NotBlank()
  progress!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, example: 60 })
  @IsInt()
  @Min(0)
  @Max(100)
  percent!: number;
}

export class ReportReviewDto {
  @ApiProperty()
  @IsBoolean()
  accepted!: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The report reviewed (its `id` in the task’s detail). Absent: the latest report waiting for review; ' +
      'name it where several wait (the lead’s and an assisting unit’s), so that a report sent meanwhile ' +
      'does not get this review. One reviewed already is 409; one not of this indicator, 404.',
  })
  @IsOptional()
  @IsUUID()
  reportId?: string;

  @ApiPropertyOptional({ example: '请附现场照片。' })
  @IsOptional()
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  comment?: string;
}

export class KeyTasksQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'closed_off'] })
  @IsOptional()
  @IsIn(['open', 'closed_off'])
  status?: string;

  @UnitFilter()
  unitId?: string;
}

/** Key-task supervision (督查督办系统): tasks, indicators, progress reports, review and closing off. */
@ApiTags('key-tasks')
@ApiBearerAuth()
@Controller('api/v1/key-tasks')
export class KeyTasksController {
  constructor(private readonly tasks: KeyTasksService) {}

  @Post()
  @Roles('supervisor', 'admin')
  @ApiCreatedResponse({
    type: KeyTaskDetailDto,
    description: 'Registers a task with its indicators; each indicator keeps its date.',
  })
  create(@Body() body: KeyTaskDto, @CurrentPrincipal() who: Principal) {
    return this.tasks.create(who, body);
  }

  @Get()
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({
    type: KeyTaskPageDto,
    description: "Tasks, newest first; a unit's clerk sees those its unit leads or assists.",
  })
  list(@Query() q: KeyTasksQuery, @CurrentPrincipal() who: Principal) {
    return this.tasks.list(who, { ...q, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get(':taskId')
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({ type: KeyTaskDetailDto, description: 'One task with its indicators and their reports.' })
  get(@Param('taskId') id: string, @CurrentPrincipal() who: Principal) {
    return this.tasks.get(who, id);
  }

  @Post(':taskId/indicators/:indicatorId/reports')
  @ApiIdempotencyKey()
  @Roles('unit_clerk')
  @ApiCreatedResponse({
    type: KeyTaskDetailDto,
    description: 'A progress report by the lead or an assisting unit.',
  })
  report(
    @Param('taskId') taskId: string,
    @Param('indicatorId') indicatorId: string,
    @Body() body: ProgressReportDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tasks.report(who, taskId, indicatorId, body.progress, body.percent, idempotencyKey(key));
  }

  @Post(':taskId/indicators/:indicatorId/review')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOkResponse({
    type: KeyTaskDetailDto,
    description:
      'Reviews a report (the one named, else the latest waiting): accepted at 100 % closes the indicator off (销号).',
  })
  review(
    @Param('taskId') taskId: string,
    @Param('indicatorId') indicatorId: string,
    @Body() body: ReportReviewDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.tasks.review(who, taskId, indicatorId, body.accepted, body.comment, body.reportId);
  }
}
