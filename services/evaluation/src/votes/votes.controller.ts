import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, Matches } from 'class-validator';
import { ApiIdempotencyKey, CurrentPrincipal, idempotencyKey, Roles } from '@hotline/platform';
import { VERDICTS } from '@hotline/shared';
import type { Principal, Verdict } from '@hotline/shared';
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
@ApiTags('public votes')
@ApiBearerAuth()
@Controller('api/v1')
export class VotesController {
  constructor(private readonly votes: VotesService) {}

  @Put('forum-posts/:ticketNo')
  @Roles('forum', 'admin')
  @ApiOkResponse({ description: 'Who posted a forum ticket (the forum user whose vote is the result).' })
  poster(@Param('ticketNo') ticketNo: string, @Body() body: ForumPostDto) {
    return this.votes.registerPoster(ticketNo, body.postId, body.posterId);
  }

  @Post('votes/:ticketNo')
  @ApiIdempotencyKey()
  @HttpCode(200)
  @Roles('forum')
  @ApiOkResponse({ description: 'A forum user’s vote: accepted, or refused with the rule’s code.' })
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
    description: 'The window, the poster’s vote and the others’ tally (apart), and the result once closed.',
  })
  window(@Param('ticketNo') ticketNo: string) {
    return this.votes.window(ticketNo);
  }

  @Get('forum-staff-accounts')
  @Roles('admin')
  @ApiOkResponse({ description: 'Forum accounts of service staff (they cannot vote).' })
  staff() {
    return this.votes.staff();
  }

  @Post('forum-staff-accounts')
  @Roles('admin')
  @ApiCreatedResponse({ description: 'Registers a forum account as staff (again: no change).' })
  addStaff(@Body() body: StaffAccountDto, @CurrentPrincipal() who: Principal) {
    return this.votes.addStaff(body.accountId, who.userId);
  }

  @Delete('forum-staff-accounts/:accountId')
  @Roles('admin')
  @ApiOkResponse({ description: 'No longer staff.' })
  removeStaff(@Param('accountId') accountId: string) {
    return this.votes.removeStaff(accountId);
  }
}
