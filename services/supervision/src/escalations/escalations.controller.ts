import { Body, Controller, Get, Headers, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString, Length, ValidateNested } from 'class-validator';
import {
  CurrentPrincipal,
  DATE_TIME,
  PageDto,
  Roles,
  NotBlank,
  ApiIdempotencyKey,
  idempotencyKey,
} from '@hotline/platform';
import { ESCALATION_GROUNDS, ESCALATION_MEASURES } from '@hotline/shared';
import type { EscalationMeasure, Principal } from '@hotline/shared';
import { EscalationsService } from './escalations.service';
import { UnitQuery } from '../assessment/assessment.controller';

export class EscalationDocumentDto {
  @ApiProperty({ example: '约谈通知书' })
  @IsString()
  @Length(2, 200)
  @NotBlank()
  title!: string;

  @ApiProperty({ example: '定于12月5日上午9时约谈交通局分管负责人。' })
  @IsString()
  @Length(2, 20000)
  @NotBlank()
  content!: string;
}

export class EscalationDto {
  @ApiProperty({ example: 'transport' })
  @IsString()
  @Length(1, 64)
  unitId!: string;

  @ApiProperty({ enum: ESCALATION_MEASURES })
  @IsIn(ESCALATION_MEASURES)
  measure!: EscalationMeasure;

  @ApiProperty({ example: '近期两件督办件逾期未反馈，协调未果。' })
  @IsString()
  @Length(2, 4000)
  @NotBlank()
  reason!: string;

  @ApiProperty({ type: [EscalationDocumentDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => EscalationDocumentDto)
  documents!: EscalationDocumentDto[];
}

/** An escalation decision (SQ art. 21) with its grounds and documents. */
export class EscalationDecisionDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ enum: ESCALATION_MEASURES })
  measure!: string;

  @ApiProperty({ example: '约谈' })
  measureLabel!: string;

  @ApiProperty({ enum: ESCALATION_GROUNDS, isArray: true })
  grounds!: string[];

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: [EscalationDocumentDto] })
  documents!: EscalationDocumentDto[];

  @ApiProperty({ description: 'Who decided it.' })
  decidedBy!: string;

  @ApiProperty(DATE_TIME)
  decidedAt!: string;
}

export class EscalationDecisionPageDto extends PageDto {
  @ApiProperty({ type: [EscalationDecisionDto] })
  items!: EscalationDecisionDto[];
}

/** A ground found in the unit's orders. */
export class EscalationGroundDto {
  @ApiProperty({ enum: ESCALATION_GROUNDS })
  code!: string;

  @ApiProperty({ example: '拒不办理' })
  label!: string;
}

/** The unit's orders of the lookback window, as the rule counts them. */
export class UnitOrderRecordDto {
  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  wentOverdue!: number;

  @ApiProperty({ type: 'integer' })
  sentBack!: number;
}

/** What the escalation rule finds against a unit, and the measures it opens. */
export class EscalationGroundsDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ type: 'integer', example: 90 })
  lookbackDays!: number;

  @ApiProperty({ type: [EscalationGroundDto] })
  grounds!: EscalationGroundDto[];

  @ApiProperty({ enum: ESCALATION_MEASURES, isArray: true, description: 'The measures that may be decided.' })
  open!: string[];

  @ApiProperty({ type: UnitOrderRecordDto })
  orders!: UnitOrderRecordDto;

  @ApiProperty({
    type: 'integer',
    description:
      'Tickets the centre’s coordination gave the unit to lead that the leadership group then decided, ' +
      'in the window: each a failed coordination, as an order overdue or sent back is.',
  })
  escalatedCoordinations!: number;
}

/** The escalation chain (SQ art. 21), for the centre. */
@ApiTags('escalations')
@ApiBearerAuth()
@Controller('api/v1')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get('units/:unitId/escalation-grounds')
  @Roles('supervisor', 'reviewer', 'admin')
  @ApiOkResponse({
    type: EscalationGroundsDto,
    description: "The grounds found in the unit's orders of the last 90 days, and the measures open.",
  })
  grounds(@Param('unitId') unitId: string) {
    return this.escalations.grounds(unitId);
  }

  @Post('escalations')
  @ApiIdempotencyKey()
  @Roles('supervisor', 'admin')
  @ApiCreatedResponse({
    type: EscalationDecisionDto,
    description:
      'Records an escalation decision with its documents; refused without grounds. Again with the same ' +
      'Idempotency-Key: the decision it recorded.',
  })
  decide(
    @Body() body: EscalationDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.escalations.decide(who, body, idempotencyKey(key));
  }

  @Get('escalations')
  @Roles('supervisor', 'reviewer', 'admin')
  @ApiOkResponse({ type: EscalationDecisionPageDto, description: 'Escalation decisions, newest first.' })
  list(@Query() q: UnitQuery) {
    return this.escalations.list({ unitId: q.unitId, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }
}
