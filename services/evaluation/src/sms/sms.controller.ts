import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  CheckedBeforeBody,
  DATE_TIME,
  IsInstant,
  PageDto,
  PageQuery,
  Public,
  Roles,
  SMS_PURPOSES,
} from '@hotline/platform';
import type { SmsPurpose } from '@hotline/platform';
import { REPLY_OUTCOMES, SMS_TEMPLATE_IDS, VERDICTS } from '@hotline/shared';
import { SmsService } from './sms.service';
import { checkSmsWebhookToken, SmsWebhookGuard } from './sms-webhook.guard';

export class InboundSmsDto {
  @ApiProperty({ description: "The sender's number", example: '13800138000' })
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{5,19}$/)
  from!: string;

  @ApiProperty({ example: '1' })
  @IsString()
  @Length(0, 1000)
  text!: string;

  @ApiPropertyOptional({ example: '2026-11-23T08:00:00Z', format: 'date-time' })
  @IsOptional()
  @IsInstant()
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

  @ApiPropertyOptional({ enum: SMS_PURPOSES, description: 'Only the messages sent for this.' })
  @IsOptional()
  @IsIn(SMS_PURPOSES)
  purpose?: SmsPurpose;
}

/** What became of a message received (the provider's webhook, or the local gateway's reply). */
export class SmsReplyResultDto {
  @ApiProperty({ format: 'uuid', description: 'The message received, as recorded.' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The ticket whose callback it answers, if any.' })
  ticketNo!: string | null;

  @ApiProperty({ enum: REPLY_OUTCOMES })
  outcome!: string;

  @ApiProperty({ enum: VERDICTS, nullable: true, description: 'The verdict read, when it was applied.' })
  verdict!: string | null;
}

/** A message the platform sent (the local gateway's record; the number masked). */
export class SmsMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Unique per message: a repeated send with it sends nothing.' })
  key!: string;

  @ApiProperty({ enum: SMS_PURPOSES })
  purpose!: string;

  @ApiProperty({ type: String, nullable: true })
  ticketNo!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The callback round it asks about.' })
  round!: number | null;

  @ApiProperty({ enum: SMS_TEMPLATE_IDS })
  template!: string;

  @ApiProperty({ description: 'The text as sent.' })
  body!: string;

  @ApiProperty({ example: 'local' })
  provider!: string;

  @ApiProperty({ enum: ['pending', 'sent', 'failed'] })
  status!: string;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  sentAt!: string | null;

  @ApiProperty({ example: '138****8000', description: 'The recipient, masked.' })
  to!: string;
}

export class SmsMessagePageDto extends PageDto {
  @ApiProperty({ type: [SmsMessageDto] })
  items!: SmsMessageDto[];
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
  @ApiOkResponse({
    type: SmsReplyResultDto,
    description: 'Recorded; says whether it answered a callback, and if not why.',
  })
  @CheckedBeforeBody(checkSmsWebhookToken)
  @UseGuards(SmsWebhookGuard)
  inbound(@Body() body: InboundSmsDto) {
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
  @ApiOkResponse({ type: SmsMessagePageDto, description: 'Messages sent, newest first (numbers masked).' })
  list(@Query() q: SmsMessagesQuery) {
    return this.sms.localMessages({
      ticketNo: q.ticketNo,
      purpose: q.purpose,
      limit: q.limit ?? 20,
      offset: q.offset ?? 0,
    });
  }

  @Post(':messageId/reply')
  @HttpCode(200)
  @ApiOkResponse({
    type: SmsReplyResultDto,
    description: "The recipient's reply, through the same path as the provider's webhook.",
  })
  reply(@Param('messageId') id: string, @Body() body: LocalReplyDto) {
    return this.sms.localReply(id, body.text);
  }
}
