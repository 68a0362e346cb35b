import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  PickType,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { CurrentPrincipal, DATE_TIME, NotBlank, PageDto, PageQuery, Roles } from '@hotline/platform';
import { VERDICTS } from '@hotline/shared';
import type { Principal } from '@hotline/shared';
import { TicketFactsDto } from '../supervision.controller';
import { TestCallsService } from './test-calls.service';

export class TestCallDto {
  @ApiProperty({ example: '20261123000001', description: 'The ticket the centre placed through intake.' })
  @Matches(/^\d{14}$/)
  ticketNo!: string;

  @ApiProperty({ example: '模拟市民反映路灯不亮' })
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  scenario!: string;

  @ApiProperty({ example: '1小时内签收，12小时内答复并说明维修时间' })
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  expected!: string;
}

export class TestCallsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '20261123000001' })
  @IsOptional()
  @Matches(/^\d{14}$/)
  ticketNo?: string;
}

/** Service test calls (拨测, SQ art. 15): for the centre only. */
/** A test call (拨测) and how its ticket was handled, from supervision's facts. */
export class TestCallRecordDto extends PickType(TicketFactsDto, [
  'ticketNo',
  'unitId',
  'status',
  'signedAt',
  'signedLate',
  'repliedAt',
  'completeDueAt',
  'overdueCount',
  'returnCount',
  'closedAt',
  'outcome',
] as const) {
  @ApiProperty({ description: 'What the centre staged.' })
  scenario!: string;

  @ApiProperty({ description: 'How it should be handled.' })
  expected!: string;

  @ApiProperty()
  registeredBy!: string;

  @ApiProperty(DATE_TIME)
  registeredAt!: string;

  @ApiProperty({ enum: VERDICTS, nullable: true, description: 'The counted verdict, once there is one.' })
  verdict!: string | null;
}

export class TestCallPageDto extends PageDto {
  @ApiProperty({ type: [TestCallRecordDto] })
  items!: TestCallRecordDto[];
}

@ApiTags('test-calls')
@ApiBearerAuth()
@Roles('supervisor', 'admin')
@Controller('api/v1/test-calls')
export class TestCallsController {
  constructor(private readonly calls: TestCallsService) {}

  @Post()
  @ApiCreatedResponse({
    type: TestCallRecordDto,
    description: 'Marks a ticket the centre placed as a test call; units never see the mark.',
  })
  register(@Body() body: TestCallDto, @CurrentPrincipal() who: Principal) {
    return this.calls.register(who, body.ticketNo, body.scenario, body.expected);
  }

  @Get()
  @ApiOkResponse({ type: TestCallPageDto, description: 'Test calls and how each was handled.' })
  list(@Query() q: TestCallsQuery) {
    return this.calls.list({ ticketNo: q.ticketNo, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }
}
