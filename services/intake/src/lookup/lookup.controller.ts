import { Transform } from 'class-transformer';
import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { DATE_TIME, Public, Throttled } from '@hotline/platform';
import { APPEAL_KINDS, CITIZEN_STAGES, LOOKUP_TICKET_LIMIT, VERDICTS } from '@hotline/shared';
import type { Verdict } from '@hotline/shared';
import { LookupService } from './lookup.service';

/** Full-width digits (０–９, as a Chinese input method types them) read as the digits they are. */
const asciiDigits = (text: string) =>
  text.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

export class TicketLookupDto {
  @ApiProperty({ example: '20261206000001', description: 'The ticket number the citizen was given.' })
  @Matches(/^\d{14}$/, { message: 'ticketNo is the 14-digit ticket number' })
  ticketNo!: string;

  @ApiProperty({
    example: '042917',
    description:
      'The six-digit query code (查询码) given with it; full-width digits and spaces around it are read too.',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? asciiDigits(value).trim() : value,
  )
  @Matches(/^\d{6}$/, { message: 'queryCode is six digits' })
  queryCode!: string;
}

export class TicketEvaluationDto extends TicketLookupDto {
  @ApiProperty({ enum: VERDICTS, description: '满意 / 基本满意 / 不满意.' })
  @IsIn(VERDICTS)
  verdict!: Verdict;
}

export class CitizenStepDto {
  @ApiProperty(DATE_TIME)
  at!: string;

  @ApiProperty({ example: '已转市交通运输局办理' })
  text!: string;
}

export class CitizenResultDto {
  @ApiProperty(DATE_TIME)
  at!: string;

  @ApiProperty({ description: 'The approved reply, the direct answer, or why it was not accepted.' })
  text!: string;

  @ApiProperty({ type: String, nullable: true, description: 'Where to turn instead (not accepted).' })
  guidance!: string | null;
}

export class CitizenTicketDto {
  @ApiProperty({ example: '20261206000001' })
  ticketNo!: string;

  @ApiProperty({ type: String, nullable: true, example: '(2026)网001号' })
  registryNo!: string | null;

  @ApiProperty({ enum: APPEAL_KINDS })
  kind!: string;

  @ApiProperty({ example: '投诉' })
  kindLabel!: string;

  @ApiProperty({ example: '人行道地砖松动' })
  title!: string;

  @ApiProperty(DATE_TIME)
  createdAt!: string;

  @ApiProperty({ enum: CITIZEN_STAGES })
  stage!: string;

  @ApiProperty({ example: '办理中' })
  stageLabel!: string;

  @ApiProperty({ type: String, nullable: true, example: '市交通运输局' })
  handlingUnit!: string | null;

  @ApiProperty({ type: [CitizenStepDto] })
  steps!: CitizenStepDto[];

  @ApiProperty({ type: CitizenResultDto, nullable: true })
  result!: CitizenResultDto | null;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  closedAt!: string | null;
}

/**
 * Guesses at a ticket's code count against the ticket from this address, the ticket from every
 * address, and the address, for the look-up and the evaluation alike (LOOKUP_TICKET_LIMIT).
 */
const LOOKUP_THROTTLE = {
  name: 'ticket-lookup',
  accountWide: LOOKUP_TICKET_LIMIT,
  account: (body: unknown) => {
    const no = (body as { ticketNo?: unknown } | null)?.ticketNo;
    return typeof no === 'string' && /^\d{14}$/.test(no) ? no : null;
  },
};

/** The citizen's side: their ticket by its number and query code, no account needed. */
@ApiTags('citizen')
@Controller('api/v1/public')
export class LookupController {
  constructor(private readonly lookups: LookupService) {}

  @Public()
  @Throttled(LOOKUP_THROTTLE)
  @Post('ticket-lookup')
  @HttpCode(200)
  @ApiOkResponse({
    type: CitizenTicketDto,
    description:
      "Where the ticket stands, its steps and, once the centre approved it, the result; never the complainant's data.",
  })
  @ApiUnauthorizedResponse({
    description: 'No ticket with that number and query code (`invalid_credentials`).',
  })
  lookup(@Body() body: TicketLookupDto) {
    return this.lookups.lookup(body.ticketNo, body.queryCode);
  }

  @Public()
  @Throttled(LOOKUP_THROTTLE)
  @Post('ticket-evaluation')
  @HttpCode(200)
  @ApiOkResponse({
    type: CitizenTicketDto,
    description:
      'The citizen evaluates the result online: the answer to the callback SMS the ticket waits for (satisfied closes it; unsatisfied goes to an operator’s call). 409 evaluation_not_open at any other time.',
  })
  @ApiUnauthorizedResponse({
    description: 'No ticket with that number and query code (`invalid_credentials`).',
  })
  evaluate(@Body() body: TicketEvaluationDto) {
    return this.lookups.evaluate(body.ticketNo, body.queryCode, body.verdict);
  }
}
