import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { CurrentPrincipal, PageDto, PageQuery, Roles, UnitFilter, NotBlank } from '@hotline/platform';
import {
  MAX_PASSWORD_LENGTH,
  MAX_SERVICE_PROMISE_LENGTH,
  MAX_SERVICE_PROMISES,
  MIN_PASSWORD_LENGTH,
  ROLES,
} from '@hotline/shared';
import type { Principal, Role } from '@hotline/shared';
import { UsersAdminService } from './users.service';

export class NewUserDto {
  // The example is a seeded user: a request built from the document creates nothing (409 conflict).
  @ApiProperty({
    example: 'clerk.transport',
    description: 'What the user types at login: 2–64 lower-case letters, digits, ".", "_", "-".',
  })
  @IsString()
  @Length(2, 64)
  username!: string;

  @ApiProperty({ example: '交通运输局经办人' })
  @IsString()
  @Length(1, 64)
  @NotBlank()
  displayName!: string;

  @ApiProperty({ enum: ROLES, example: 'unit_clerk' })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ example: 'transport', description: "A unit's clerk's unit; no other role has one." })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  unitId?: string;

  @ApiProperty({
    example: 'change-me-at-first-login',
    description: `The first password, ${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters, not the username.`,
  })
  @IsString()
  @Length(1, 512)
  password!: string;
}

export class UserDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ example: '交通运输局经办人' })
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ type: String, nullable: true, example: 'transport' })
  unitId!: string | null;

  @ApiProperty({ description: "Whether the unit's user is its leader (单位领导)." })
  unitLeader!: boolean;

  @ApiProperty({ description: 'Whether the user may log in.' })
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class UserPageDto extends PageDto {
  @ApiProperty({ type: [UserDto] })
  items!: UserDto[];
}

export class UsersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @UnitFilter()
  unitId?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only users who may (true) or may not log in.',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}

export class NewPasswordDto {
  @ApiProperty({
    example: 'change-me-at-first-login',
    description: `${MIN_PASSWORD_LENGTH}–${MAX_PASSWORD_LENGTH} characters, not the username.`,
  })
  @IsString()
  @Length(1, 512)
  password!: string;
}

export class PasswordSetDto {
  @ApiProperty({ example: 'clerk.transport' })
  username!: string;

  @ApiProperty({ description: 'Always true: the tokens issued before stop working within 30 s.' })
  tokensRevoked!: true;
}

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

export class ServicePromisesDto {
  @ApiProperty({
    type: [String],
    example: ['24小时内上门维修', '3个工作日内退款'],
    description:
      `The unit's service promises (服务承诺), the whole list (at most ${MAX_SERVICE_PROMISES}, each at most ` +
      `${MAX_SERVICE_PROMISE_LENGTH} characters): the service after its time limit, verb first. A reply ` +
      'negating one ("无法上门维修") does not close (422 reply_not_closable, contradicts_service_promise).',
  })
  @IsArray()
  @ArrayMaxSize(MAX_SERVICE_PROMISES)
  @IsString({ each: true })
  @Length(1, MAX_SERVICE_PROMISE_LENGTH, { each: true })
  servicePromises!: string[];
}

export class ServicePromisesSetDto extends ServicePromisesDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;
}

/** Administration of users' access (users.service.ts says what each action does). */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('api/v1/admin/users')
export class UsersAdminController {
  constructor(private readonly admin: UsersAdminService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({
    type: UserDto,
    description:
      'Creates a user with a first password: a unit’s clerk of a unit (400 unknown_unit if none), any other role ' +
      'of none. A username taken: 409 conflict.',
  })
  create(@Body() body: NewUserDto, @CurrentPrincipal() who: Principal) {
    return this.admin.create(body, who);
  }

  @Get()
  @ApiOkResponse({
    type: UserPageDto,
    description: 'The users by username; by role, unit and whether they may log in.',
  })
  list(@Query() q: UsersQuery) {
    const active = q.active === undefined ? undefined : q.active === 'true';
    return this.admin.list(
      { role: q.role, unitId: q.unitId, active },
      { limit: q.limit ?? 20, offset: q.offset ?? 0 },
    );
  }

  @Get(':username')
  @ApiOkResponse({ type: UserDto, description: 'One user.' })
  get(@Param('username') username: string) {
    return this.admin.get(username);
  }

  @Put(':username/password')
  @ApiOkResponse({
    type: PasswordSetDto,
    description:
      "Sets the user's password; the tokens issued before stop working within 30 s (they log in again).",
  })
  setPassword(
    @Param('username') username: string,
    @Body() body: NewPasswordDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.admin.setPassword(username, body.password, who);
  }

  @Post(':username/deactivate')
  @HttpCode(200)
  @ApiOkResponse({
    type: UserActiveDto,
    description:
      'The user can no longer log in; their tokens stop working within 30 s. Not oneself, nor the last ' +
      'active administrator (409 conflict).',
  })
  deactivate(@Param('username') username: string, @CurrentPrincipal() who: Principal) {
    return this.admin.setActive(username, false, who);
  }

  @Post(':username/activate')
  @HttpCode(200)
  @ApiOkResponse({ type: UserActiveDto, description: 'The user can log in again.' })
  activate(@Param('username') username: string, @CurrentPrincipal() who: Principal) {
    return this.admin.setActive(username, true, who);
  }

  @Post(':username/revoke-tokens')
  @HttpCode(200)
  @ApiOkResponse({
    type: TokensRevokedDto,
    description: "The user's tokens stop working within 30 s; they log in again.",
  })
  revoke(@Param('username') username: string, @CurrentPrincipal() who: Principal) {
    return this.admin.revokeTokens(username, who);
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
  setUnitLeader(
    @Param('username') username: string,
    @Body() body: UnitLeaderDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.admin.setUnitLeader(username, body.unitLeader, who);
  }
}

/** Administration of a unit: how its leader reviews (经领导审核), its service promises (服务承诺). */
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
  setLeaderReview(
    @Param('unitId') unitId: string,
    @Body() body: LeaderReviewInPersonDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.admin.setLeaderReviewInPerson(unitId, body.leaderReviewInPerson, who);
  }

  @Get(':unitId/service-promises')
  @ApiOkResponse({ type: ServicePromisesSetDto, description: "The unit's service promises (服务承诺)." })
  servicePromises(@Param('unitId') unitId: string) {
    return this.admin.servicePromises(unitId);
  }

  @Put(':unitId/service-promises')
  @ApiOkResponse({
    type: ServicePromisesSetDto,
    description:
      "Records the unit's service promises (服务承诺), replacing the list: a reply (or a hub's approved " +
      'sub-unit result) contradicting one does not close (closure standard art. 5.5), in effect within ' +
      'the catalog cache, 5 s. A promise naming no service after its time limit ("24小时内") is 400.',
  })
  setServicePromises(
    @Param('unitId') unitId: string,
    @Body() body: ServicePromisesDto,
    @CurrentPrincipal() who: Principal,
  ) {
    return this.admin.setServicePromises(unitId, body.servicePromises, who);
  }
}
