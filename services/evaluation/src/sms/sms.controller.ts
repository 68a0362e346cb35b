import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery, Public, Roles } from '@hotline/platform';
import { SmsService } from './sms.service';

export class InboundSmsDto {
  @ApiProperty({ description: "The sender's number", example: '13800138000' })
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{5,19}$/)
  from!: string;

  @ApiProperty({ example: '1' })
  @IsString()
  @Length(0, 1000)
  text!: string;

  @ApiPropertyOptional({ example: '2026-11-23T08:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  receivedAt?: string;
}

export class LocalReplyDto {
  @ApiProperty({ example: '1' })
  @IsString()
  @Length(0, 1000)
  text!: string;
}

export class SmsMessagesQuery extends PageQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{14}$/)
  ticketNo?: string;
}

/** Replies from the SMS provider (上行短信): its webhook, authenticated by a shared secret. */
@ApiTags('sms')
@Controller('api/v1/sms')
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  @Post('inbound')
  @Public()
  @HttpCode(200)
  @ApiHeader({ name: 'x-sms-webhook-token', required: true, description: 'SMS_WEBHOOK_TOKEN' })
  @ApiOkResponse({ description: 'Recorded; says whether it answered a callback, and if not why.' })
  inbound(@Body() body: InboundSmsDto, @Headers('x-sms-webhook-token') token?: string) {
    this.sms.checkWebhookToken(token);
    return this.sms.receive(body);
  }
}

/**
 * The local gateway (SMS_PROVIDER=local, development and tests): what was "sent", and answering a
 * message as its recipient would. 404 with a real provider.
 */
@ApiTags('sms')
@ApiBearerAuth()
@Roles('operator', 'admin')
@Controller('api/v1/sms/local/messages')
export class LocalSmsController {
  constructor(private readonly sms: SmsService) {}

  @Get()
  @ApiOkResponse({ description: 'Messages sent, newest first (numbers masked).' })
  list(@Query() q: SmsMessagesQuery) {
    return this.sms.localMessages({ ticketNo: q.ticketNo, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Post(':messageId/reply')
  @HttpCode(200)
  @ApiOkResponse({ description: "The recipient's reply, through the same path as the provider's webhook." })
  reply(@Param('messageId') id: string, @Body() body: LocalReplyDto) {
    return this.sms.localReply(id, body.text);
  }
}
