import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import {
  ApiIdempotencyKey,
  CurrentPrincipal,
  DATE_TIME,
  idempotencyKey,
  Roles,
  PageDto,
  PageQuery,
  pageOfAll,
} from '@hotline/platform';
import { VERDICTS } from '@hotline/shared';
import type { Principal, Verdict } from '@hotline/shared';
import { VerdictCountsDto } from '../satisfaction/satisfaction.controller';
import { VotesService } from './votes.service';

const FORUM_ID = /^[\w.:@-]{1,100}$/;

export class ForumPostDto {
  @ApiProperty({ example: 'hsw-2026-118833' })
  @Matches(FORUM_ID)
  postId!: string;

  @ApiProperty({ description: "The forum's user id of the poster", example: 'u-55231' })
  @Matches(FORUM_ID)
  posterId!: string;
}

export class VoteDto {
  @ApiProperty({ description: "The forum's user id of the voter", example: 'u-10086' })
  @Matches(FORUM_ID)
  voterId!: string;

  @ApiProperty({ enum: VERDICTS })
  @IsIn(VERDICTS)
  verdict!: Verdict;

  @ApiPropertyOptional({ description: 'The forum marks its service staff, who cannot vote' })
  @IsOptional()
  @IsBoolean()
  staff?: boolean;
}

export class StaffAccountDto {
  @ApiProperty({ description: 'The forum account of a member of staff', example: 'u-staff-0571' })
  @Matches(FORUM_ID)
  accountId!: string;
}

/** Public votes (SZ 寒山闻钟), for the forum's machine account and the centre. */
/** Who posted a forum ticket, as registered. */
export class ForumPosterDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ example: 'hsw-2026-118833' })
  postId!: string;

  @ApiProperty({ example: 'u-55231' })
  posterId!: string;
}

/** A vote the window took. */
export class VoteAcceptedDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ example: 'u-10086' })
  voterId!: string;

  @ApiProperty({ enum: VERDICTS })
  verdict!: string;

  @ApiProperty({ description: "Whether the voter posted the ticket (the poster's vote is the result)." })
  isPoster!: boolean;

  @ApiProperty({ description: 'Whether it changed an earlier vote (the poster may change once).' })
  changed!: boolean;
}

export class PosterVoteDto {
  @ApiProperty({ enum: VERDICTS })
  verdict!: string;

  @ApiProperty()
  changed!: boolean;
}

/** A forum ticket's vote window (寒山闻钟). */
export class VoteWindowDto {
  @ApiProperty({ example: '20261123000001' })
  ticketNo!: string;

  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty(DATE_TIME)
  opensAt!: string;

  @ApiProperty(DATE_TIME)
  closesAt!: string;

  @ApiProperty({ enum: ['open', 'closed', 'withdrawn'] })
  status!: string;

  @ApiProperty({ ...DATE_TIME, nullable: true })
  withdrawnAt!: string | null;

  @ApiProperty({ enum: VERDICTS, nullable: true, description: "The poster's verdict, once closed." })
  result!: string | null;

  @ApiProperty({ enum: VERDICTS, nullable: true })
  posterVerdict!: string | null;

  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Closed without a vote from the poster: counted as satisfied.',
  })
  posterDefaulted!: boolean | null;

  @ApiProperty({ type: PosterVoteDto, nullable: true, description: "The poster's vote so far." })
  poster!: PosterVoteDto | null;

  @ApiProperty({
    type: VerdictCountsDto,
    description: 'The votes of everyone but the poster, counted apart.',
  })
  others!: VerdictCountsDto;
}

/** A forum account of service staff (staff cannot vote). */
export class StaffAccountRecordDto {
  @ApiProperty({ example: 'u-staff-0571' })
  accountId!: string;

  @ApiProperty()
  addedBy!: string;

  @ApiProperty(DATE_TIME)
  addedAt!: string;
}

export class StaffAccountsDto extends PageDto {
  @ApiProperty({ type: [StaffAccountRecordDto] })
  items!: StaffAccountRecordDto[];
}

export class StaffAccountRefDto {
  @ApiProperty({ example: 'u-staff-0571' })
  accountId!: string;
}

@ApiTags('public votes')
@ApiBearerAuth()
@Controller('api/v1')
export class VotesController {
  constructor(private readonly votes: VotesService) {}

  @Put('forum-posts/:ticketNo')
  @Roles('forum', 'admin')
  @ApiOkResponse({
    type: ForumPosterDto,
    description:
      'Who posted a forum ticket (the forum user whose vote is the result). Once votes are cast it cannot ' +
      'change, nor can a voter become the poster: 409 conflict.',
  })
  poster(@Param('ticketNo') ticketNo: string, @Body() body: ForumPostDto) {
    return this.votes.registerPoster(ticketNo, body.postId, body.posterId);
  }

  @Post('votes/:ticketNo')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('forum')
  @ApiOkResponse({
    type: VoteAcceptedDto,
    description: 'A forum user’s vote: accepted, or refused with the rule’s code.',
  })
  vote(@Param('ticketNo') ticketNo: string, @Body() body: VoteDto, @Headers('idempotency-key') key?: string) {
    return this.votes.vote(
      ticketNo,
      { voterId: body.voterId, verdict: body.verdict, staff: body.staff ?? false },
      idempotencyKey(key),
    );
  }

  @Get('votes/:ticketNo')
  @Roles('forum', 'operator', 'reviewer', 'supervisor', 'admin')
  @ApiOkResponse({
    type: VoteWindowDto,
    description: 'The window, the poster’s vote and the others’ tally (apart), and the result once closed.',
  })
  window(@Param('ticketNo') ticketNo: string) {
    return this.votes.window(ticketNo);
  }

  @Get('forum-staff-accounts')
  @Roles('admin')
  @ApiOkResponse({
    type: StaffAccountsDto,
    description: 'Forum accounts of service staff (they cannot vote).',
  })
  async staff(@Query() page: PageQuery) {
    return pageOfAll((await this.votes.staff()).items, page);
  }

  @Post('forum-staff-accounts')
  @Roles('admin')
  @ApiCreatedResponse({
    type: StaffAccountRefDto,
    description: 'Registers a forum account as staff (again: no change).',
  })
  addStaff(@Body() body: StaffAccountDto, @CurrentPrincipal() who: Principal) {
    return this.votes.addStaff(body.accountId, who.userId);
  }

  @Delete('forum-staff-accounts/:accountId')
  @Roles('admin')
  @ApiOkResponse({ type: StaffAccountRefDto, description: 'No longer staff.' })
  removeStaff(@Param('accountId') accountId: string) {
    return this.votes.removeStaff(accountId);
  }
}
