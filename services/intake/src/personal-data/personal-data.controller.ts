import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import {
  CurrentPrincipal,
  DATE_TIME,
  PageDto,
  TimeRangeQuery,
  timeRangeOf,
  ProblemException,
  RequestOrigin,
  MinVisibleLength,
  Roles,
} from '@hotline/platform';
import type { AccessOrigin } from '@hotline/platform';
import {
  isTicketNo,
  PERSONAL_DATA_FIELDS,
  ROLES,
  PERSONAL_DATA_AUDIT_ROLES,
  PERSONAL_DATA_REVEAL_ROLES,
  REVEAL_REASON_MIN_LENGTH,
} from '@hotline/shared';
import type { Principal } from '@hotline/shared';
import { PersonalDataService } from './personal-data.service';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RevealDto {
  @ApiProperty({
    example: '人工回访需拨打来电人电话',
    minLength: REVEAL_REASON_MIN_LENGTH,
    description: 'Why the plain name and phone are needed; written to the access log.',
  })
  @Transform(trim)
  @IsString()
  @MinVisibleLength(REVEAL_REASON_MIN_LENGTH)
  @MaxLength(500)
  reason!: string;
}

export class AccessLogQuery extends TimeRangeQuery {
  @ApiPropertyOptional({ example: '20261123000001' })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  ticketNo?: string;

  @ApiPropertyOptional({ description: 'The user id of whoever read the data.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  userId?: string;

  @ApiPropertyOptional({ example: 'supervisor' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  username?: string;
}

/** The complainant's plain name and phone, and the access-log entry the reveal wrote. */
export class RevealedComplainantDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ type: String, nullable: true, example: '张先生' })
  complainantName!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '13800138000' })
  complainantPhone!: string | null;

  @ApiProperty({ description: 'Whether the complainant asked for confidentiality (保密).' })
  confidential!: boolean;

  @ApiProperty({ description: 'The access-log entry of this reveal.' })
  accessId!: string;

  @ApiProperty(DATE_TIME)
  revealedAt!: string;
}

/** One read of personal data: who, when, which ticket, which fields, and why. */
export class PersonalDataAccessDto {
  @ApiProperty()
  id!: string;

  @ApiProperty(DATE_TIME)
  occurredAt!: string;

  @ApiProperty()
  userId!: string;

  @ApiProperty({ example: 'supervisor' })
  username!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({
    enum: ['reveal', 'search', 'download'],
    description:
      '`reveal`: the plain values were shown; `search`: a search by phone (or by a number in the ' +
      'text) found the ticket, or, without a ticket, found none; ' +
      "`download`: a file on the ticket's record was downloaded (`fields`: attachment).",
  })
  action!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '20261123000001',
    description: 'Null for a search that found no ticket.',
  })
  ticketNo!: string | null;

  @ApiProperty({ enum: PERSONAL_DATA_FIELDS, isArray: true })
  fields!: string[];

  @ApiProperty()
  reason!: string;

  @ApiProperty({ type: String, nullable: true })
  requestAddress!: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;
}

export class PersonalDataAccessPageDto extends PageDto {
  @ApiProperty({ type: [PersonalDataAccessDto] })
  items!: PersonalDataAccessDto[];
}

@ApiTags('personal data')
@ApiBearerAuth()
@Controller('api/v1')
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Post('tickets/:ticketNo/complainant/reveal')
  @HttpCode(200)
  @Roles(...PERSONAL_DATA_REVEAL_ROLES)
  @ApiOkResponse({
    type: RevealedComplainantDto,
    description:
      "The complainant's plain name and phone. Every reveal is written, with the reason, to the append-only access log.",
  })
  async reveal(
    @Param('ticketNo') ticketNo: string,
    @Body() body: RevealDto,
    @CurrentPrincipal() who: Principal,
    @RequestOrigin() origin: AccessOrigin,
  ) {
    if (!isTicketNo(ticketNo)) throw new ProblemException('ticket_not_found', `no ticket ${ticketNo}`);
    return this.personalData.reveal(who, ticketNo, {
      reason: body.reason,
      ...origin,
    });
  }

  @Get('audit/personal-data-access')
  @Roles(...PERSONAL_DATA_AUDIT_ROLES)
  @ApiOkResponse({
    type: PersonalDataAccessPageDto,
    description: 'Who read whose personal data, when and why; newest first.',
  })
  async accessLog(@Query() q: AccessLogQuery, @CurrentPrincipal() who: Principal) {
    return this.personalData.accessLog(who, {
      ticketNo: q.ticketNo,
      userId: q.userId,
      username: q.username,
      ...timeRangeOf(q),
    });
  }
}
