import { Body, Controller, Get, Headers, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import {
  CurrentPrincipal,
  DATE_TIME,
  IsInstant,
  PageDto,
  PageQuery,
  Roles,
  UnitFilter,
  NotBlank,
  ApiIdempotencyKey,
  idempotencyKey,
} from '@hotline/platform';
import { LEADER_LEVELS, ROLES } from '@hotline/shared';
import type { LeaderLevel, Principal } from '@hotline/shared';
import { InstructionsService } from './instructions.service';

export class InstructionDto {
  @ApiPropertyOptional({
    example: '20261123000001',
    description: 'The ticket instructed on (or orderId, or taskId).',
  })
  @IsOptional()
  @Matches(/^\d{14}$/)
  ticketNo?: string;

  @ApiPropertyOptional({ description: 'The order instructed on (or ticketNo).' })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @ApiPropertyOptional({ description: 'The key task instructed on (its lead unit answers).' })
  @IsOptional()
  @IsUUID()
  taskId?: string;

  @ApiProperty({ example: '王副市长' })
  @IsString()
  @Length(2, 100)
  @NotBlank()
  leaderName!: string;

  @ApiProperty({ enum: LEADER_LEVELS })
  @IsIn(LEADER_LEVELS)
  leaderLevel!: LeaderLevel;

  @ApiProperty({ example: '请交通局务必于本周内修复，并举一反三排查同类问题。' })
  @IsString()
  @Length(2, 4000)
  @NotBlank()
  content!: string;

  @ApiPropertyOptional({
    example: '2026-11-30T02:00:00Z',
    format: 'date-time',
    description: 'When the leader issued it; now by default.',
  })
  @IsOptional()
  @IsInstant()
  issuedAt?: string;
}

export class InstructionsQuery extends PageQuery {
  @UnitFilter()
  unitId?: string;

  @ApiPropertyOptional({ example: '20261123000001' })
  @IsOptional()
  @Matches(/^\d{14}$/)
  ticketNo?: string;
}

/** Leader instructions (领导批示) with the trace of their readers. */
/** A leader's instruction (领导批示) as recorded, and whether what it is about is done. */
export class InstructionRecordDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: String, nullable: true, example: '20261123000001' })
  ticketNo!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  orderId!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  taskId!: string | null;

  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ example: '王副市长' })
  leaderName!: string;

  @ApiProperty({ enum: LEADER_LEVELS })
  leaderLevel!: string;

  @ApiProperty()
  content!: string;

  @ApiProperty(DATE_TIME)
  issuedAt!: string;

  @ApiProperty()
  recordedBy!: string;

  @ApiProperty(DATE_TIME)
  recordedAt!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    format: 'uuid',
    description: 'The supervision order it raised on a ticket.',
  })
  raisedOrderId!: string | null;

  @ApiProperty({ description: 'Whether its ticket, order or key task is done.' })
  completed!: boolean;
}

export class InstructionPageDto extends PageDto {
  @ApiProperty({ type: [InstructionRecordDto] })
  items!: InstructionRecordDto[];
}

/** Who read the instruction, when (each reading is traced). */
export class InstructionViewDto {
  @ApiProperty()
  userId!: string;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty(DATE_TIME)
  viewedAt!: string;
}

export class InstructionDetailDto extends InstructionRecordDto {
  @ApiProperty({ type: [InstructionViewDto] })
  views!: InstructionViewDto[];
}

@ApiTags('instructions')
@ApiBearerAuth()
@Controller('api/v1/instructions')
export class InstructionsController {
  constructor(private readonly instructions: InstructionsService) {}

  @Post()
  @ApiIdempotencyKey()
  @Roles('supervisor', 'admin')
  @ApiCreatedResponse({
    type: InstructionDetailDto,
    description:
      'Records an instruction; on a ticket it raises a supervision order. Again with the same Idempotency-Key: ' +
      'the instruction it recorded.',
  })
  record(
    @Body() body: InstructionDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.instructions.record(who, body, idempotencyKey(key));
  }

  @Get()
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({
    type: InstructionPageDto,
    description: "Instructions, newest first; a unit's clerk sees its unit's.",
  })
  list(@Query() q: InstructionsQuery, @CurrentPrincipal() who: Principal) {
    return this.instructions.list(who, { ...q, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get(':instructionId')
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({
    type: InstructionDetailDto,
    description: 'One instruction and who viewed it when; this reading is traced too.',
  })
  get(@Param('instructionId') id: string, @CurrentPrincipal() who: Principal) {
    return this.instructions.get(who, id);
  }
}
