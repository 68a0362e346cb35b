import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { Roles } from '@hotline/platform';
import { UsersAdminService } from './users.service';

export class UserActiveDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ description: 'Whether the user may log in.' })
  active!: boolean;
}

export class TokensRevokedDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ description: 'Always true.' })
  tokensRevoked!: true;
}

export class LockoutClearedDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ description: 'Always true.' })
  unlocked!: true;
}

export class UnitLeaderDto {
  // The examples are the defaults: a request built from the document changes nothing (the security suites send one).
  @ApiProperty({ example: false, description: "Whether the unit's user is its leader (单位领导)." })
  @IsBoolean()
  unitLeader!: boolean;
}

export class UnitLeaderSetDto extends UnitLeaderDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ example: 'transport' })
  unitId!: string;
}

export class LeaderReviewInPersonDto {
  @ApiProperty({
    example: false,
    description:
      "Whether the unit's leader reviews in person: a clerk's review in the leader's name is refused.",
  })
  @IsBoolean()
  leaderReviewInPerson!: boolean;
}

export class LeaderReviewSetDto extends LeaderReviewInPersonDto {
  @ApiProperty({ example: 'gulou-hunan' })
  unitId!: string;
}

/** Administration of users' access (users.service.ts says what each action does). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/users')
export class UsersAdminController {
  constructor(private readonly admin: UsersAdminService) {}

  @Post(':username/deactivate')
  @HttpCode(200)
  @ApiOkResponse({
    type: UserActiveDto,
    description: 'The user can no longer log in; their tokens stop working within 30 s.',
  })
  deactivate(@Param('username') username: string) {
    return this.admin.setActive(username, false);
  }

  @Post(':username/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: UserActiveDto, description: 'The user can log in again.' })
  activate(@Param('username') username: string) {
    return this.admin.setActive(username, true);
  }

  @Post(':username/revoke-tokens')
  @HttpCode(200)
  @ApiOkResponse({
    type: TokensRevokedDto,
    description: "The user's tokens stop working within 30 s; they log in again.",
  })
  revoke(@Param('username') username: string) {
    return this.admin.revokeTokens(username);
  }

  @Delete(':username/lockout')
  @HttpCode(200)
  @ApiOkResponse({
    type: LockoutClearedDto,
    description: "Clears the account's login lockout (not its client address's).",
  })
  unlock(@Param('username') username: string) {
    return this.admin.unlock(username);
  }

  @Put(':username/unit-leader')
  @ApiOkResponse({
    type: UnitLeaderSetDto,
    description:
      "Makes a unit's user its leader (单位领导: its own account gives the leader's review in person), or not; " +
      'in effect within 30 s. A user of no unit: 409 action_rejected.',
  })
  setUnitLeader(@Param('username') username: string, @Body() body: UnitLeaderDto) {
    return this.admin.setUnitLeader(username, body.unitLeader);
  }
}

/** Administration of how a unit's leader reviews (经领导审核). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/units')
export class UnitsAdminController {
  constructor(private readonly admin: UsersAdminService) {}

  @Put(':unitId/leader-review')
  @ApiOkResponse({
    type: LeaderReviewSetDto,
    description:
      "Whether the unit wants its leader to review in person: then a clerk's review in the leader's name is " +
      '403 leader_review_required (in effect within the catalog cache, 5 s).',
  })
  setLeaderReview(@Param('unitId') unitId: string, @Body() body: LeaderReviewInPersonDto) {
    return this.admin.setLeaderReviewInPerson(unitId, body.leaderReviewInPerson);
  }
}
