import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  CurrentPrincipal,
  DATE_TIME,
  IsDay,
  PageDto,
  PageQuery,
  Roles,
  UnitFilter,
  NotBlank,
} from '@hotline/platform';
import { BONUS_POINTS } from '@hotline/shared';
import type { BonusKind, Principal } from '@hotline/shared';
import {
  AssessmentPublicationDto,
  AssessmentRankingDto,
  AttitudeComplaintRecordDto,
  UnitAssessmentDto,
} from './assessment.responses';
import { AssessmentService } from './assessment.service';

const PERIOD = /^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$/;
const BONUS_KINDS = Object.keys(BONUS_POINTS) as BonusKind[];

export class PeriodQuery {
  @ApiPropertyOptional({
    example: '2026-Q4',
    description: 'YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY; this month by default.',
  })
  @IsOptional()
  @Matches(PERIOD)
  period?: string;
}

export class PublishDto {
  @ApiProperty({ example: '2026-Q3' })
  @Matches(PERIOD)
  period!: string;
}

/** A list of one unit's records, or of every unit's, a page at a time. */
export class UnitQuery extends PageQuery {
  @UnitFilter()
  unitId?: string;
}

export class ManualScoresDto {
  @ApiProperty({ example: '2026-Q4' })
  @Matches(PERIOD)
  period!: string;

  @ApiProperty({ example: 'transport' })
  @IsString()
  @Length(1, 64)
  unitId!: string;

  @ApiProperty({ minimum: 0, maximum: 15, description: '领导重视 (leadership attention), 0–15.' })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(15)
  leadership!: number;

  @ApiProperty({ minimum: 0, maximum: 15, description: '制度建设 (rules in place), 0–15.' })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(15)
  rules!: number;
}

export class BonusDto {
  @ApiProperty({ example: 'transport' })
  @IsString()
  @Length(1, 64)
  unitId!: string;

  @ApiProperty({ enum: BONUS_KINDS })
  @IsIn(BONUS_KINDS)
  kind!: BonusKind;

  @ApiProperty({ example: '市长批示2026-118号', description: 'The event: one award per event.' })
  @IsString()
  @Length(1, 200)
  ref!: string;

  @ApiProperty({ example: '2026-11-20' })
  @IsDay()
  occurredOn!: string;

  @ApiProperty({ example: '市长对道路快速修复工作作出肯定性批示。' })
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  note!: string;
}

/** A bonus event (加分) as recorded. */
export class BonusRecordDto extends BonusDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'Who recorded it.' })
  recordedBy!: string;

  @ApiProperty(DATE_TIME)
  recordedAt!: string;
}

export class BonusPageDto extends PageDto {
  @ApiProperty({ type: [BonusRecordDto] })
  items!: BonusRecordDto[];
}

export class AttitudeComplaintDto {
  @ApiProperty({ example: '20261123000001' })
  @Matches(/^\d{14}$/)
  ticketNo!: string;

  @ApiProperty({ example: '市民反映经办人员接听电话态度生硬。' })
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  note!: string;
}

const WATCHERS = ['supervisor', 'reviewer', 'admin'] as const;

/** The unit assessment (PA 100 points + bonus) and its published ranking; the centre's manual items. */
@ApiTags('assessment')
@ApiBearerAuth()
@Controller('api/v1/assessments')
export class AssessmentController {
  constructor(private readonly assessment: AssessmentService) {}

  @Get()
  @Roles(...WATCHERS)
  @ApiOkResponse({
    type: AssessmentRankingDto,
    description: 'Every unit scored for the period, ranked (minimum sample: 30 tickets due).',
  })
  ranking(@Query() q: PeriodQuery) {
    return this.assessment.ranking(q.period);
  }

  @Get('bonuses')
  @Roles(...WATCHERS)
  @ApiOkResponse({ type: BonusPageDto, description: 'Recorded bonus events, the latest first.' })
  bonuses(@Query() q: UnitQuery) {
    return this.assessment.bonuses({ unitId: q.unitId, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Post('bonuses')
  @Roles('supervisor', 'admin')
  @ApiCreatedResponse({
    type: BonusRecordDto,
    description: 'Records a bonus event (one award per event); answers it.',
  })
  addBonus(@Body() body: BonusDto, @CurrentPrincipal() who: Principal) {
    return this.assessment.addBonus(who, body);
  }

  @Put('manual-scores')
  @Roles('supervisor', 'admin')
  @ApiOkResponse({
    type: UnitAssessmentDto,
    description: "Sets the centre's manual items (leadership 15, rules 15) for a unit and period.",
  })
  setManual(@Body() body: ManualScoresDto, @CurrentPrincipal() who: Principal) {
    return this.assessment.setManual(who, body);
  }

  @Post('attitude-complaints')
  @Roles('supervisor', 'admin')
  @ApiCreatedResponse({
    type: AttitudeComplaintRecordDto,
    description: "Records a complaint about the unit's attitude on one of its tickets (−0.5).",
  })
  addAttitudeComplaint(@Body() body: AttitudeComplaintDto, @CurrentPrincipal() who: Principal) {
    return this.assessment.addAttitudeComplaint(who, body.ticketNo, body.note);
  }

  @Post('publications')
  @Roles('supervisor', 'admin')
  @ApiCreatedResponse({
    type: AssessmentPublicationDto,
    description: "Publishes an ended period's ranking as it stands; once.",
  })
  publish(@Body() body: PublishDto, @CurrentPrincipal() who: Principal) {
    return this.assessment.publish(who, body.period);
  }

  @Get('publications/:period')
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({
    type: AssessmentPublicationDto,
    description: 'A published ranking, for the centre and the units.',
  })
  publication(@Param('period') period: string, @CurrentPrincipal() who: Principal) {
    return this.assessment.publication(period, who);
  }

  @Get('units/:unitId')
  @Roles(...WATCHERS, 'unit_clerk')
  @ApiOkResponse({
    type: UnitAssessmentDto,
    description:
      "One unit's facts and score, every deduction with its tickets. A unit's clerk reads its own unit's (another unit is 404).",
  })
  unit(@Param('unitId') unitId: string, @Query() q: PeriodQuery, @CurrentPrincipal() who: Principal) {
    return this.assessment.unit(unitId, q.period, who);
  }
}
