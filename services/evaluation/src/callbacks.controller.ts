import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, ValidateIf } from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  idempotencyKey,
  Roles,
  TicketActionResultDto,
} from '@hotline/platform';
import { VERDICTS } from '@hotline/shared';
import type { Principal, Verdict } from '@hotline/shared';
import { CallbacksService } from './callbacks.service';

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
  @ApiPropertyOptional({
    description:
      'Whether the citizen says the problem was actually solved (实际解决), when asked on the call; it feeds the actual resolution rate.',
  })
  @IsOptional()
  @IsBoolean()
  resolved?: boolean;
}

/**
 * The callback (办结回访) recorded by staff: an operator or the administrator records the citizen's
 * answer to the SMS callback (under their own name in the ticket's history; the provider's own
 * replies come through its webhook, `POST /api/v1/sms/inbound`), or the manual callback. Each
 * reaches the ticket's workflow as an update.
 */
@ApiTags('callbacks')
@ApiBearerAuth()
@Controller('api/v1/callbacks/:ticketNo')
export class CallbacksController {
  constructor(private readonly callbacks: CallbacksService) {}

  @Post('sms')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: "The citizen's answer to the SMS callback (满意 / 基本满意 / 不满意), or none.",
  })
  sms(
    @Param('ticketNo') ticketNo: string,
    @Body() body: SmsAnswerDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.callbacks.record(
      ticketNo,
      { mode: 'sms', verdict: body.verdict ?? null, note: '' },
      who,
      idempotencyKey(key),
    );
  }

  @Post('manual')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: "An operator's manual (phone) callback result.",
  })
  manual(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ManualCallbackDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.callbacks.manual(
      ticketNo,
      {
        verdict: body.verdict,
        note: body.note ?? '',
        ...(body.resolved === undefined ? {} : { resolved: body.resolved }),
      },
      who,
      idempotencyKey(key),
    );
  }
}
