import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  idempotencyKey,
  PageQuery,
  Roles,
  TicketActionResultDto,
} from '@hotline/platform';
import { CALLBACK_ATTEMPT_OUTCOMES } from '@hotline/shared';
import type { CallbackAttemptOutcome, Principal } from '@hotline/shared';
import {
  CallbackAttemptAnswerDto,
  CallbackTaskDetailDto,
  CallbackTaskPageDto,
} from './callback-tasks.responses';
import { ManualCallbackDto } from '../callbacks.controller';
import { CallbackTasksService } from './callback-tasks.service';

export class CallbackTasksQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'done'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'done'])
  status?: 'open' | 'done';

  @ApiPropertyOptional({ description: 'Only the tasks I hold' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional({
    description:
      'Read on after the page that gave this `nextCursor`, with the same status (offset unused). No task still on the queue is skipped when others are taken off it between pages, as one can be with an offset.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  after?: string;
}

export class AttemptDto {
  @ApiProperty({ enum: CALLBACK_ATTEMPT_OUTCOMES })
  @IsIn(CALLBACK_ATTEMPT_OUTCOMES)
  outcome!: CallbackAttemptOutcome;

  @ApiPropertyOptional({ example: '下午三点致电无人接听' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

/** The citizen's verdict on the task's call: as a manual callback records it. */
export class TaskVerdictDto extends ManualCallbackDto {}

export class UnreachableDto {
  @ApiPropertyOptional({ example: '三个时段致电均无人接听' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

/** The manual-callback queue (人工回访) for operators. */
@ApiTags('callbacks')
@ApiBearerAuth()
@Roles('operator', 'admin')
@Controller('api/v1/callback-tasks')
export class CallbackTasksController {
  constructor(private readonly tasks: CallbackTasksService) {}

  @Get()
  @ApiOkResponse({
    type: CallbackTaskPageDto,
    description: 'Tasks by due time: the ticket, the SMS answer, calls so far, time left, who holds it.',
  })
  list(@Query() q: CallbackTasksQuery, @CurrentPrincipal() who: Principal) {
    return this.tasks.list(who, {
      status: q.status ?? 'open',
      mine: q.mine ?? false,
      limit: q.limit ?? 20,
      offset: q.offset ?? 0,
      after: q.after,
    });
  }

  @Get(':taskId')
  @ApiOkResponse({ type: CallbackTaskDetailDto, description: 'One task with its calls.' })
  detail(@Param('taskId') id: string, @CurrentPrincipal() who: Principal) {
    return this.tasks.detail(who, id);
  }

  @Post(':taskId/claim')
  @HttpCode(200)
  @ApiOkResponse({
    type: CallbackTaskDetailDto,
    description: 'Takes the task (409 task_claimed while another operator holds it).',
  })
  claim(@Param('taskId') id: string, @CurrentPrincipal() who: Principal) {
    return this.tasks.claim(who, id);
  }

  @Post(':taskId/release')
  @HttpCode(200)
  @ApiOkResponse({ type: CallbackTaskDetailDto, description: 'Gives the task back to the queue.' })
  release(@Param('taskId') id: string, @CurrentPrincipal() who: Principal) {
    return this.tasks.release(who, id);
  }

  @Post(':taskId/attempts')
  @ApiIdempotencyKey('Optional. A repeat with the same key records no second call.')
  @ApiCreatedResponse({
    type: CallbackAttemptAnswerDto,
    description: 'A call that did not reach the citizen; says whether they now count as unreachable.',
  })
  attempt(
    @Param('taskId') id: string,
    @Body() body: AttemptDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tasks.attempt(who, id, body.outcome, body.note ?? '', idempotencyKey(key));
  }

  @Post(':taskId/verdict')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: "The citizen's verdict; the task is done and the ticket moves on.",
  })
  verdict(
    @Param('taskId') id: string,
    @Body() body: TaskVerdictDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tasks.verdict(who, id, body.verdict, body.note ?? '', idempotencyKey(key), body.resolved);
  }

  @Post(':taskId/unreachable')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: 'The citizen could not be reached (the rule met): the ticket closes without a verdict.',
  })
  unreachable(
    @Param('taskId') id: string,
    @Body() body: UnreachableDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tasks.unreachable(who, id, body.note ?? '', idempotencyKey(key));
  }
}
