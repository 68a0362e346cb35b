import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  DurationDto,
  idempotencyKey,
  Roles,
  TicketActionResultDto,
  NotBlank,
} from '@hotline/platform';
import { COORDINATION_LEVELS } from '@hotline/shared';
import type { CoordinationLevel, Principal } from '@hotline/shared';
import { CentreService } from './centre.service';
import { AssistingUnitIds } from './create-ticket.dto';

export class ReviewReplyDto {
  @ApiProperty({ description: 'true: the reply meets the standard; false: back to the unit with the note.' })
  @IsBoolean()
  approve!: boolean;

  @ApiPropertyOptional({ example: '答复未说明整改完成时间，请补充。' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class ReturnDecisionDto {
  @ApiProperty()
  @IsBoolean()
  approve!: boolean;

  @ApiPropertyOptional({
    description: 'With approval: the unit to dispatch to (default: the suggested one).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  redispatchToUnitId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class CoordinationDto {
  @ApiProperty({ example: 'housing', description: 'The unit the centre designates to lead (牵头单位).' })
  @IsString()
  @Length(1, 64)
  unitId!: string;

  @AssistingUnitIds(
    'Assisting units (协办单位) it names besides those on the ticket; the former lead may be one.',
    ['transport'],
  )
  assistingUnitIds?: string[];

  @ApiProperty({ example: '职责交叉，经协调由住建局牵头办理，交通运输局协助。' })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason!: string;

  @ApiPropertyOptional({
    enum: COORDINATION_LEVELS,
    default: 'centre',
    description:
      'Who designated the lead: the centre (热线中心协调), or the leadership group (领导小组协调) its ' +
      'coordination was escalated to, whose decision a supervisor or administrator records. The centre ' +
      'coordinates a ticket at most twice; a third designation, and any after the group’s, is the group’s ' +
      '(409 coordination_escalation_required).',
  })
  @IsOptional()
  @IsIn(COORDINATION_LEVELS)
  level?: CoordinationLevel;
}

export class ExtensionDecisionDto {
  @ApiProperty()
  @IsBoolean()
  approve!: boolean;

  @ApiPropertyOptional({
    type: DurationDto,
    description: 'Grant less than requested; default: as requested.',
  })
  @IsOptional()
  // A nested DTO is validated only when it is an object: missing or [] passed (the workflow got them).
  @IsObject()
  @ValidateNested()
  @Type(() => DurationDto)
  granted?: DurationDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class AnswerDto {
  @ApiProperty({ example: '您好，社保缴费可通过“示范市人社”APP在线办理，详见知识库条目 K-1024。' })
  @IsString()
  @Length(1, 10000)
  @NotBlank()
  answer!: string;
}

export class AcceptanceNoticeDto {
  @ApiProperty({ enum: ['sms', 'phone', 'letter', 'email', 'online'], example: 'sms' })
  @IsIn(['sms', 'phone', 'letter', 'email', 'online'])
  means!: string;

  @ApiPropertyOptional({ example: '已短信告知来信人：您的来信已受理，编号见短信。' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

/** The hotline centre's decisions on a ticket: reply review (答复认定), returns, coordination, extensions. */
@ApiTags('centre decisions')
@ApiBearerAuth()
@Roles('reviewer', 'supervisor', 'admin')
@Controller('api/v1/tickets/:ticketNo')
export class CentreController {
  constructor(private readonly centre: CentreService) {}

  @Post('answer')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('operator', 'admin')
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      'The direct answer (直接答复) to a ticket kept at intake; the callback follows. The same answer again ' +
      'is already applied; another answer, or any answer to a ticket not kept for one, is 409 action_rejected.',
  })
  answer(
    @Param('ticketNo') ticketNo: string,
    @Body() body: AnswerDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.centre.answer(ticketNo, body.answer, who, idempotencyKey(key));
  }

  @Post('acceptance-notice')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('operator', 'reviewer', 'admin')
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: 'The petitioner was told the appeal is accepted (受理告知), where the policy requires it.',
  })
  notifyAcceptance(
    @Param('ticketNo') ticketNo: string,
    @Body() body: AcceptanceNoticeDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.centre.notifyAcceptance(ticketNo, body.means, body.note ?? '', who, idempotencyKey(key));
  }

  @Post('review')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: 'Approve the reply (the callback starts) or send it back with a note.',
  })
  review(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ReviewReplyDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.centre.review(ticketNo, body.approve, body.note ?? '', who, idempotencyKey(key));
  }

  @Post('return-decision')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: 'Approve a return (re-dispatch) or refuse it (back to the unit).',
  })
  decideReturn(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ReturnDecisionDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.centre.decideReturn(ticketNo, body, who, idempotencyKey(key));
  }

  @Post('coordination')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description:
      'Coordination (协调): the centre designates the lead unit of a ticket being handled (dispatched or ' +
      'signed), with its reason, and may name assisting units. The ticket leaves the lead unit (and the ' +
      'sub-units it passed it to) for the designated one, whose sign and completion deadlines run from now. ' +
      'The same designation again is already applied; a returned ticket (decide the return), one on no ' +
      'desk yet or replied is 409 action_rejected. Designating the unit that leads confirms it (it keeps the ' +
      'ticket and its deadlines, and no longer returns it). After two of the ' +
      'centre’s coordinations the leadership group designates (level leadership_group, recorded by a ' +
      'supervisor or administrator; 403 forbidden for a reviewer).',
  })
  coordinate(
    @Param('ticketNo') ticketNo: string,
    @Body() body: CoordinationDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.centre.coordinate(ticketNo, body, who, idempotencyKey(key));
  }

  @Post('extension-decision')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @ApiOkResponse({
    type: TicketActionResultDto,
    description: 'Approve (moves the completion deadline) or refuse an extension request.',
  })
  decideExtension(
    @Param('ticketNo') ticketNo: string,
    @Body() body: ExtensionDecisionDto,
    @CurrentPrincipal() who: Principal,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.centre.decideExtension(ticketNo, body, who, idempotencyKey(key));
  }
}
