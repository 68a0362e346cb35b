import { Body, Controller, Get, HttpCode, Injectable, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import {
  CatalogRepository,
  clerkUnitOf,
  CurrentPrincipal,
  IsDay,
  isUuid,
  KnowledgeRepository,
  KnowledgeVersionDto,
  KnowledgeVersionPageDto,
  leaderReview,
  NotBlank,
  pageOf,
  PageQuery,
  ProblemException,
  Roles,
} from '@hotline/platform';
import { decideKnowledgeReview, isStale, KNOWLEDGE_STATUSES } from '@hotline/shared';
import type { KnowledgeStatus, Principal } from '@hotline/shared';

export class KnowledgeWriteDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'A new version of this entry of the unit’s; none: a new entry.',
  })
  @IsOptional()
  @IsUUID()
  entryId?: string;

  @ApiProperty({ example: '老旧小区加装电梯补贴标准' })
  @IsString()
  @Length(1, 200)
  @NotBlank()
  title!: string;

  @ApiProperty({ example: '既有住宅加装电梯，市级财政按每台20万元给予补贴，申请材料见市住建局网站。' })
  @IsString()
  @Length(1, 20000)
  @NotBlank()
  content!: string;

  @ApiPropertyOptional({ type: [String], example: ['加装电梯', '补贴'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  @NotBlank({ each: true })
  keywords?: string[];

  @ApiPropertyOptional({ example: '2027-12-31', description: 'Review it by this day (China); stale after.' })
  @IsOptional()
  @IsDay()
  validUntil?: string;
}

export class KnowledgeReviewDto {
  @ApiProperty({ description: 'Approved: published (replacing the version before); not: refused.' })
  @IsBoolean()
  approve!: boolean;

  @ApiPropertyOptional({
    example: '王局长',
    description:
      "The leader who reviewed it (经领导审核), as a clerk records it. A leader's own account (单位领导) " +
      'reviews in person and may leave it out (its own name). A unit that wants its leader in person ' +
      "refuses a clerk's review: 403 leader_review_required.",
  })
  @IsOptional()
  @IsString()
  @Length(0, 100)
  leaderName?: string;

  @ApiPropertyOptional({ example: '同意发布。' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

export class KnowledgeWithdrawalDto {
  @ApiProperty({ example: '补贴政策已于2027年调整，本条目过时。' })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason!: string;
}

export class OwnKnowledgeQuery extends PageQuery {
  @ApiPropertyOptional({ enum: KNOWLEDGE_STATUSES })
  @IsOptional()
  @IsIn(KNOWLEDGE_STATUSES)
  status?: KnowledgeStatus;
}

/** A unit keeps its knowledge base (RULES §5): its liaison writes, its leader approves, outdated entries go. */
@Injectable()
export class UnitKnowledgeService {
  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly catalog: CatalogRepository,
  ) {}

  async write(who: Principal, body: KnowledgeWriteDto) {
    const unitId = clerkUnitOf(who);
    if (body.entryId && !(await this.knowledge.entryOf(body.entryId, unitId)))
      throw new ProblemException('not_found', `no knowledge entry ${body.entryId} of your unit`);
    // A review day already past would publish an entry outdated from its first day.
    if (body.validUntil && isStale(body.validUntil, Date.now()))
      throw new ProblemException(
        'validation_failed',
        `审核日期${body.validUntil}已过，请填写今天或以后的日期`,
        {
          field: 'validUntil',
        },
      );
    return this.knowledge.write(unitId, who.userId, {
      entryId: body.entryId,
      title: body.title.trim(),
      content: body.content,
      keywords: [...new Set((body.keywords ?? []).map((k) => k.trim()).filter(Boolean))],
      validUntil: body.validUntil ?? null,
    });
  }

  async review(who: Principal, id: string, body: KnowledgeReviewDto) {
    const unitId = clerkUnitOf(who);
    const v = isUuid(id) ? await this.knowledge.version(id) : null;
    const decision = decideKnowledgeReview(v, unitId, body.approve);
    if (decision === 'not_found')
      throw new ProblemException('not_found', `no knowledge version ${id} of your unit`);
    if (decision === 'already') return v!;
    if (decision === 'conflict')
      throw new ProblemException('conflict', `knowledge version ${id} is ${v!.status}`);
    const review = await leaderReview(this.catalog, who, unitId, body.leaderName);
    const done = await this.knowledge.review(id, {
      approve: body.approve,
      leaderName: review.leaderName,
      byLeader: review.byLeader,
      by: who.userId,
      note: body.note?.trim() ?? '',
    });
    if (done) return done;
    // Reviewed meanwhile (the same review again: as done), or settled without review (a newer
    // version approved first, the entry withdrawn): a conflict.
    const now = (await this.knowledge.version(id))!;
    if (decideKnowledgeReview(now, unitId, body.approve) === 'already') return now;
    throw new ProblemException('conflict', `knowledge version ${id} is ${now.status}`);
  }

  async withdraw(who: Principal, entryId: string, reason: string) {
    const unitId = clerkUnitOf(who);
    if (!isUuid(entryId) || !(await this.knowledge.entryOf(entryId, unitId)))
      throw new ProblemException('not_found', `no knowledge entry ${entryId} of your unit`);
    const withdrawn = await this.knowledge.withdraw(entryId, reason.trim());
    if (withdrawn) return withdrawn;
    // Withdrawn already (a repeated request): answered with that withdrawal, as it stands.
    const before = await this.knowledge.lastWithdrawn(entryId);
    if (before) return before;
    throw new ProblemException('conflict', `knowledge entry ${entryId} has no published version`);
  }

  async list(who: Principal, q: { status?: string; limit: number; offset: number }) {
    return pageOf(await this.knowledge.ofUnit({ ...q, unitId: clerkUnitOf(who) }), q);
  }
}

@ApiTags('knowledge base')
@ApiBearerAuth()
@Roles('unit_clerk')
@Controller('api/v1/knowledge')
export class UnitKnowledgeController {
  constructor(private readonly knowledge: UnitKnowledgeService) {}

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({
    type: KnowledgeVersionDto,
    description: 'A new entry, or a new version of one of the unit’s, pending its leader’s review.',
  })
  write(@CurrentPrincipal() who: Principal, @Body() body: KnowledgeWriteDto) {
    return this.knowledge.write(who, body);
  }

  @Get()
  @ApiOkResponse({ type: KnowledgeVersionPageDto, description: "The unit's versions, newest first." })
  list(@CurrentPrincipal() who: Principal, @Query() q: OwnKnowledgeQuery) {
    return this.knowledge.list(who, { status: q.status, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Post(':versionId/review')
  @HttpCode(200)
  @ApiOkResponse({
    type: KnowledgeVersionDto,
    description:
      'The unit leader’s review, recorded by its clerk: approved, the version is published and the one ' +
      'before superseded; the same decision again answers it as it stands.',
  })
  review(
    @CurrentPrincipal() who: Principal,
    @Param('versionId') id: string,
    @Body() body: KnowledgeReviewDto,
  ) {
    return this.knowledge.review(who, id, body);
  }

  @Post('entries/:entryId/withdrawal')
  @HttpCode(200)
  @ApiOkResponse({ type: KnowledgeVersionDto, description: 'An outdated entry leaves the knowledge base.' })
  withdraw(
    @CurrentPrincipal() who: Principal,
    @Param('entryId') entryId: string,
    @Body() body: KnowledgeWithdrawalDto,
  ) {
    return this.knowledge.withdraw(who, entryId, body.reason);
  }
}
