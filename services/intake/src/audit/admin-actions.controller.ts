import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { PageDto, Roles, timeRangeOf, TimeRangeQuery } from '@hotline/platform';
import { AdminActionsService } from './admin-actions.service';

export class AdminActionsQuery extends TimeRangeQuery {
  @ApiPropertyOptional({ example: 'admin', description: 'Who made the changes.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  username?: string;

  @ApiPropertyOptional({
    example: 'clerk.transport',
    description: 'What was changed (a username, a set, a day).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  subject?: string;

  @ApiPropertyOptional({ example: 'identity.users.update' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  action?: string;
}

export class AdminActionDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: '`{kind: "user", userId, username, role}`, or `{kind: "system"}` (a seed, the server CLI).',
  })
  actor!: Record<string, unknown>;

  @ApiProperty({ example: 'identity.users.update', description: 'The table and the operation.' })
  action!: string;

  @ApiProperty({ example: 'clerk.transport' })
  subject!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Column by column: [before, after]; "(changed)" for a secret or personal data.',
  })
  changes!: Record<string, unknown>;
}

export class AdminActionPageDto extends PageDto {
  @ApiProperty({ type: [AdminActionDto] })
  items!: AdminActionDto[];
}

/**
 * The administrator's trail (RULES §8: nothing is silently changed): every change to accounts and
 * configuration, who made it and what changed, written by the database in the change's own
 * transaction. For the auditor, and the administrators themselves.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('api/v1/audit')
export class AdminActionsController {
  constructor(private readonly actions: AdminActionsService) {}

  @Get('admin-actions')
  @Roles('auditor', 'admin')
  @ApiOkResponse({
    type: AdminActionPageDto,
    description:
      'Changes to users, policy sets, the calendar, the expert pool and units: who, when, what; newest first.',
  })
  async list(@Query() q: AdminActionsQuery) {
    return this.actions.list({
      username: q.username,
      subject: q.subject,
      action: q.action,
      ...timeRangeOf(q),
    });
  }
}
