import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CurrentPrincipal, ProblemException, Roles } from '@hotline/platform';
import type { Principal } from '@hotline/shared';
import { UnitTicketsService } from './unit-tickets.service';

const ASSIGNMENT_STATUSES = ['dispatched', 'signed', 'replied', 'closed'] as const;

export class UnitTicketsQuery {
  @ApiPropertyOptional({ enum: ASSIGNMENT_STATUSES })
  @IsOptional()
  @IsIn(ASSIGNMENT_STATUSES)
  status?: string;

  @ApiPropertyOptional({ default: 20, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class ReplyDto {
  @ApiProperty({
    example: '经核实，已于11月23日安排施工队更换破损地砖12块，现已修复完毕。联系人：市交通运输局养护科。',
  })
  @IsString()
  @Length(1, 10000)
  content!: string;
}

function checkKey(key: string | undefined): string | null {
  if (key === undefined) return null;
  if (!/^[\w.:-]{1,128}$/.test(key))
    throw new ProblemException(
      'validation_failed',
      'Idempotency-Key must be 1–128 characters of [A-Za-z0-9_.:-]',
    );
  return key;
}

/** The unit's desk: its tickets, and sign / reply. Every action is idempotent. */
@ApiTags('unit tickets')
@ApiBearerAuth()
@Roles('unit_clerk')
@Controller('api/v1/tickets')
export class UnitTicketsController {
  constructor(private readonly tickets: UnitTicketsService) {}

  @Get()
  @ApiOkResponse({ description: "The tickets dispatched to the caller's unit, newest first." })
  list(@CurrentPrincipal() who: Principal, @Query() q: UnitTicketsQuery) {
    return this.tickets.list(who, { status: q.status, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get(':ticketNo')
  get(@CurrentPrincipal() who: Principal, @Param('ticketNo') ticketNo: string) {
    return this.tickets.get(who, ticketNo);
  }

  @Post(':ticketNo/sign')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ description: 'Signed (签收), or already signed.' })
  sign(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.sign(who, ticketNo, checkKey(key));
  }

  @Post(':ticketNo/reply')
  @HttpCode(200)
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiOkResponse({ description: 'Replied (答复), or already replied.' })
  reply(
    @CurrentPrincipal() who: Principal,
    @Param('ticketNo') ticketNo: string,
    @Body() body: ReplyDto,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.tickets.reply(who, ticketNo, body.content, checkKey(key));
  }
}
