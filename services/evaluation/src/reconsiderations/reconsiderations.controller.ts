import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  DATE_TIME,
  idempotencyKey,
  MinVisibleLength,
  PageDto,
  PageQuery,
  Roles,
  NotBlank,
} from '@hotline/platform';
import { RECONSIDERATION_OUTCOMES } from '@hotline/shared';
import type { Principal, ReconsiderationOutcome } from '@hotline/shared';
import { ReconsiderationsService } from './reconsiderations.service';

export class ReconsiderationRequestDto {
  @ApiProperty({ example: '20261123000001' })
  @Matches(/^\d{14}$/)
  ticketNo!: string;

  @ApiProperty({ example: '市民认为投诉处理意见未回应其赔偿诉求，申请复查。' })
  @IsString()
  @Length(2, 4000)
  @MinVisibleLength(2)
  reason!: string;
}

export class ReconsiderationDecisionDto {
  @ApiProperty({ enum: RECONSIDERATION_OUTCOMES })
  @IsIn(RECONSIDERATION_OUTCOMES)
  outcome!: ReconsiderationOutcome;

  @ApiProperty({ example: '经复查，原处理意见事实清楚，予以维持。' })
  @IsString()
  @Length(2, 4000)
  @NotBlank()
  decision!: string;
}

export class ReconsiderationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['requested', 'decided'] })
  @IsOptional()
  @IsIn(['requested', 'decided'])
  status?: string;
}

/** A reconsideration (复查): the request, its clock's marks, and the decision once made. */
export class ReconsiderationRecordDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, example: 'transport' })
  unitId!: string | null;

  @ApiProperty({ description: "The complainant's grounds." })
  reason!: string;

  @ApiProperty()
  requestedBy!: string;

  @ApiProperty(DATE_TIME)
  requestedAt!: string;

  @ApiProperty({
    ...DATE_TIME,
    description: "The decision is due by then (the policy's limit, GS: 10 working days).",
  })
  decideBy!: string;

  @ApiProperty({ type: 'integer' })
  reminders!: number;

  @ApiProperty()
  overdue!: boolean;

  @ApiProperty({ enum: ['requested', 'decided'] })
  status!: string;

  @ApiProperty({ enum: RECONSIDERATION_OUTCOMES, nullable: true })
  outcome!: string | null;

  @ApiProperty({ type: String, nullable: true })
  decision!: string | null;

  @ApiProperty({ type: String, nullable: true })
  decidedBy!: string | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  decidedAt!: string | null;

  @ApiProperty({ type: Boolean, nullable: true, description: 'Decided after decideBy.' })
  late!: boolean | null;
}

export class ReconsiderationPageDto extends PageDto {
  @ApiProperty({ type: [ReconsiderationRecordDto] })
  items!: ReconsiderationRecordDto[];
}

/** Reconsideration of complaint decisions (复查, GS), for the centre. */
@ApiTags('reconsideration')
@ApiBearerAuth()
@Controller('api/v1/reconsiderations')
export class ReconsiderationsController {
  constructor(private readonly reconsiderations: ReconsiderationsService) {}

  @Post()
  @Roles('operator', 'reviewer', 'supervisor', 'admin')
  @ApiCreatedResponse({
    type: ReconsiderationRecordDto,
    description: "Registers the complainant's request; the decision is due in the policy's limit.",
  })
  request(@Body() body: ReconsiderationRequestDto, @CurrentPrincipal() who: Principal) {
    return this.reconsiderations.request(who, body.ticketNo, body.reason);
  }

  @Get()
  @Roles('operator', 'reviewer', 'supervisor', 'admin')
  @ApiOkResponse({ type: ReconsiderationPageDto, description: 'Requests by due time.' })
  list(@Query() q: ReconsiderationsQuery) {
    return this.reconsiderations.list({ status: q.status, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get(':ticketNo')
  @Roles('operator', 'reviewer', 'supervisor', 'admin')
  @ApiOkResponse({
    type: ReconsiderationRecordDto,
    description: 'One request: its clock (reminders, overdue) and its decision.',
  })
  get(@Param('ticketNo') ticketNo: string) {
    return this.reconsiderations.get(ticketNo);
  }

  @Post(':ticketNo/decision')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('reviewer', 'supervisor', 'admin')
  @ApiOkResponse({
    type: ReconsiderationRecordDto,
    description: 'Upheld or revised, with the decision; taken even when late (marked late).',
  })
  decide(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ReconsiderationDecisionDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.reconsiderations.decide(who, ticketNo, body.outcome, body.decision, idempotencyKey(key));
  }
}
