import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsObject,
  IsUUID,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  DurationDto,
  idempotencyKey,
  PageQuery,
  Roles,
  SupervisionOrderDto,
  SupervisionOrderPageDto,
  UnitFilter,
  NotBlank,
} from '@hotline/platform';
import { ORDER_KINDS } from '@hotline/shared';
import type { OrderKind, Principal } from '@hotline/shared';
import { OrdersService } from './orders.service';

export class RaiseOrderDto {
  @ApiPropertyOptional({ example: '20261123000001', description: 'The ticket; its unit by default.' })
  @IsOptional()
  @Matches(/^\d{14}$/)
  ticketNo?: string;

  @ApiPropertyOptional({ description: 'A key task (its lead unit by default, or an assisting unitId).' })
  @IsOptional()
  @IsUUID()
  taskId?: string;

  @ApiPropertyOptional({ example: 'transport', description: 'The unit, when the order is not on a ticket.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  unitId?: string;

  @ApiProperty({ enum: ORDER_KINDS, description: 'reminder (催办) or order (督办).' })
  @IsIn(ORDER_KINDS)
  kind!: OrderKind;

  @ApiProperty({ example: '请于三个工作日内反馈整改措施及时限。' })
  @IsString()
  @Length(5, 2000)
  @NotBlank()
  instruction!: string;

  @ApiPropertyOptional({
    type: DurationDto,
    description: '1 hour to 30 days; by default 1 working day (催办) or 3 (督办).',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => DurationDto)
  respondWithin?: DurationDto;
}

export class OrderAnswerDto {
  @ApiProperty({ example: '已安排专人现场核查，定于本周五前完成整改。' })
  @IsString()
  @Length(5, 4000)
  @NotBlank()
  response!: string;
}

export class OrderReviewDto {
  @ApiProperty({ description: 'true closes the order; false sends it back for a new round.' })
  @IsBoolean()
  accepted!: boolean;

  @ApiPropertyOptional({ example: '未说明整改时限，请补充。', description: 'Required when sent back.' })
  @IsOptional()
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  comment?: string;
}

export class OrderWithdrawDto {
  @ApiProperty({ example: '已纳入上级统一督办。' })
  @IsString()
  @Length(2, 2000)
  @NotBlank()
  reason!: string;
}

/** The monthly quota (GS): this month's supervision orders against 20 % of last month's intake. */
export class OrderQuotaDto {
  @ApiProperty({ example: '2026-12' })
  month!: string;

  @ApiProperty({ example: '2026年12月' })
  label!: string;

  @ApiProperty({ type: 'integer' })
  lastMonthIntake!: number;

  @ApiProperty({ type: 'integer', description: "20 % of last month's intake, rounded up." })
  target!: number;

  @ApiProperty({ type: 'integer', description: 'Orders (督办, not reminders) raised this month.' })
  raised!: number;

  @ApiProperty()
  met!: boolean;

  @ApiProperty({ type: Number, nullable: true, description: "Raised of last month's intake." })
  ratio!: number | null;
}

export class OrdersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'answered', 'closed'] })
  @IsOptional()
  @IsIn(['open', 'answered', 'closed'])
  status?: string;

  @ApiPropertyOptional({ enum: ORDER_KINDS })
  @IsOptional()
  @IsIn(ORDER_KINDS)
  kind?: string;

  @UnitFilter('Centre only: one unit (a clerk always sees its own).')
  unitId?: string;

  @ApiPropertyOptional({ example: '20261123000001' })
  @IsOptional()
  @Matches(/^\d{14}$/)
  ticketNo?: string;

  @ApiPropertyOptional({ description: 'Only overdue (true) or only not overdue (false).' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    description:
      'Read on after the page that gave this `nextCursor`, with the same filters (offset unused). No open order is skipped when others close between pages, as one can be with an offset.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  after?: string;
}

export class QuotaQuery {
  @ApiPropertyOptional({ example: '2026-12', description: 'YYYY-MM, China time; this month by default.' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  month?: string;
}

/** Reminders and supervision orders (催办 / 督办): the centre raises and reviews, the unit answers. */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @ApiIdempotencyKey()
  @Roles('supervisor', 'admin')
  @ApiCreatedResponse({
    type: SupervisionOrderDto,
    description:
      'Raises a reminder or an order by hand, on a ticket or on a unit. Again with the same Idempotency-Key: ' +
      'the order it raised.',
  })
  raise(
    @Body() body: RaiseOrderDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    // The service checks respondWithin on the calendar (a working day ends later than its count says).
    return this.orders.raiseByHand(who, body, idempotencyKey(key));
  }

  @Get()
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({
    type: SupervisionOrderPageDto,
    description: "Orders by due time; a unit's clerk sees only its unit's.",
  })
  list(@Query() q: OrdersQuery, @CurrentPrincipal() who: Principal) {
    return this.orders.list(who, { ...q, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get('quota')
  @Roles('supervisor', 'reviewer', 'admin')
  @ApiOkResponse({
    type: OrderQuotaDto,
    description: "The month's orders against 20 % of last month's intake (GS).",
  })
  quota(@Query() q: QuotaQuery) {
    return this.orders.quota(q.month);
  }

  @Get(':orderId')
  @Roles('supervisor', 'reviewer', 'admin', 'unit_clerk')
  @ApiOkResponse({
    type: SupervisionOrderDto,
    description: "One order with its clock, the unit's answer and the review.",
  })
  get(@Param('orderId') id: string, @CurrentPrincipal() who: Principal) {
    return this.orders.get(who, id);
  }

  @Post(':orderId/answer')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('unit_clerk')
  @ApiOkResponse({
    type: SupervisionOrderDto,
    description: "The unit's answer; late answers are taken and marked late.",
  })
  answer(
    @Param('orderId') id: string,
    @Body() body: OrderAnswerDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.orders.answer(who, id, body.response, idempotencyKey(key));
  }

  @Post(':orderId/review')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOkResponse({
    type: SupervisionOrderDto,
    description: 'Accepted closes the order; sent back opens a new round with a fresh limit.',
  })
  review(
    @Param('orderId') id: string,
    @Body() body: OrderReviewDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.orders.review(who, id, body.accepted, body.comment, idempotencyKey(key));
  }

  @Post(':orderId/withdraw')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: SupervisionOrderDto, description: 'Withdraws an order that is not closed.' })
  withdraw(
    @Param('orderId') id: string,
    @Body() body: OrderWithdrawDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.orders.withdraw(who, id, body.reason, idempotencyKey(key));
  }
}
