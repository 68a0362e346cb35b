import { Body, Controller, Headers, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import { Client } from '@temporalio/client';
import {
  CurrentPrincipal,
  executeTicketUpdate,
  idempotencyKey,
  requireTicket,
  Roles,
  TEMPORAL_CLIENT,
  TicketLedgerRepository,
} from '@hotline/platform';
import { TICKET_UPDATES, VERDICTS } from '@hotline/shared';
import type { Principal, RecordCallbackCommand, Verdict } from '@hotline/shared';

export class SmsAnswerDto {
  @ApiProperty({ enum: [...VERDICTS, null], nullable: true, description: 'null: no answer' })
  @ValidateIf((o: SmsAnswerDto) => o.verdict !== null)
  @IsIn(VERDICTS)
  verdict!: Verdict | null;
}

export class ManualCallbackDto {
  @ApiProperty({ enum: VERDICTS })
  @IsIn(VERDICTS)
  verdict!: Verdict;

  @ApiPropertyOptional({ example: '市民表示路面已修复，但施工噪音扰民。' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

/**
 * The callback (办结回访): the SMS gateway reports the citizen's answer, an operator records the
 * manual callback. Each reaches the ticket's workflow as an update.
 */
@ApiTags('callbacks')
@ApiBearerAuth()
@Controller('api/v1/callbacks/:ticketNo')
export class CallbacksController {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly temporal: Client,
    private readonly ledger: TicketLedgerRepository,
  ) {}

  @Post('sms')
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiOkResponse({
    description: "The citizen's answer to the SMS callback (满意 / 基本满意 / 不满意), or none.",
  })
  sms(
    @Param('ticketNo') ticketNo: string,
    @Body() body: SmsAnswerDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.send(ticketNo, { mode: 'sms', verdict: body.verdict ?? null, note: '' }, who, key);
  }

  @Post('manual')
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiOkResponse({ description: "An operator's manual (phone) callback result." })
  manual(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ManualCallbackDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.send(ticketNo, { mode: 'manual', verdict: body.verdict, note: body.note ?? '' }, who, key);
  }

  private async send(
    ticketNo: string,
    c: Omit<RecordCallbackCommand, 'actor'>,
    who: Principal,
    key: string | undefined,
  ) {
    await requireTicket(this.ledger, ticketNo);
    const cmd: RecordCallbackCommand = { ...c, actor: { kind: 'user', userId: who.userId, role: who.role } };
    return executeTicketUpdate(
      this.temporal,
      ticketNo,
      TICKET_UPDATES.recordCallback,
      cmd,
      idempotencyKey(key),
    );
  }
}
