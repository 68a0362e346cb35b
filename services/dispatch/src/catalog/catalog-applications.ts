import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Injectable, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import {
  ApiIdempotencyKey,
  CatalogApplicationRepository,
  CatalogRepository,
  clerkUnitOf,
  CurrentPrincipal,
  idempotencyKey,
  NotBlank,
  pageOf,
  PageQuery,
  ProblemException,
  Roles,
  stableUuid,
} from '@hotline/platform';
import { APPLICATION_STATUSES, applicationProblem, CATALOG_ACTIONS, entryAfter } from '@hotline/shared';
import type { ApplicationStatus, CatalogAction, Principal } from '@hotline/shared';
import { CatalogApplicationDto, CatalogApplicationPageDto, CatalogEntryPageDto } from '@hotline/platform';

export class CatalogApplicationBody {
  @ApiProperty({
    enum: CATALOG_ACTIONS,
    description: 'add an entry, change or remove one of the unit’s own.',
  })
  @IsIn(CATALOG_ACTIONS)
  action!: CatalogAction;

  @ApiPropertyOptional({ example: 'm-road', description: 'The entry to change or remove.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  entryId?: string;

  @ApiPropertyOptional({ example: '共享单车停放管理' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name?: string;

  @ApiPropertyOptional({ example: 'shared-bikes', description: 'The category tickets are registered under.' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'category is lowercase letters, digits and hyphens' })
  category?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'gulou',
    description: 'The region it is narrowed to; null: city-wide.',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 64)
  regionCode?: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    example: 100,
    description: 'Among entries as specific, the lower wins.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  priority?: number;

  @ApiProperty({ example: '依据市政府办公厅2026年第12号文件，共享单车停放管理职责划入本局。' })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason!: string;
}

export class OwnApplicationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: ApplicationStatus;
}

/** A unit applies to change its matters in the catalog (RULES §5); the centre decides on intake. */
@Injectable()
export class UnitCatalogService {
  constructor(
    private readonly applications: CatalogApplicationRepository,
    private readonly catalog: CatalogRepository,
  ) {}

  async apply(who: Principal, body: CatalogApplicationBody, key: string | null = null) {
    const unitId = clerkUnitOf(who);
    // A repeat under the clerk's key is the application the first made (whatever changed since).
    const id = key ? stableUuid(`catalog-application:${who.userId}:${key}`) : randomUUID();
    if (key) {
      const made = await this.applications.application(id);
      if (made) return made;
    }
    const entry = body.entryId ? await this.applications.entry(body.entryId) : null;
    const problem = applicationProblem(body, unitId, entry);
    if (problem) throw new ProblemException(problem.code, problem.message);
    if (body.regionCode && !(await this.catalog.regionExists(body.regionCode)))
      throw new ProblemException('unknown_region', `no region "${body.regionCode}" in this city`);
    // One matter, one process: an addition, or a change of category or region, onto a matter
    // another active entry holds is refused now (and again when decided, should one come meanwhile).
    if (body.action !== 'remove') {
      const after = entryAfter(body, entry);
      const holder = await this.applications.entryForMatter(
        after.category,
        after.regionCode,
        entry?.id ?? null,
      );
      if (holder)
        throw new ProblemException(
          'catalog_matter_exists',
          `the catalog has entry ${holder} for this matter (category and region) already`,
        );
    }
    return this.applications.apply(id, unitId, who.userId, body);
  }

  async list(who: Principal, q: { status?: string; limit: number; offset: number }) {
    return pageOf(await this.applications.applications({ ...q, unitId: clerkUnitOf(who) }), q);
  }

  async entries(who: Principal, q: { limit: number; offset: number }) {
    return pageOf(await this.applications.entries({ ...q, unitId: clerkUnitOf(who) }), q);
  }
}

@ApiTags('matter catalog')
@ApiBearerAuth()
@Roles('unit_clerk')
@Controller('api/v1')
export class UnitCatalogController {
  constructor(private readonly catalog: UnitCatalogService) {}

  @Post('catalog-applications')
  @HttpCode(201)
  @ApiCreatedResponse({
    type: CatalogApplicationDto,
    description:
      'The unit applies to add a matter it handles to the catalog, or to change or remove one of its own ' +
      '(RULES §5); the centre decides. Another unit’s entry is 404. Again with the same Idempotency-Key: the ' +
      'application it made.',
  })
  @ApiIdempotencyKey()
  apply(
    @CurrentPrincipal() who: Principal,
    @Body() body: CatalogApplicationBody,
    @Headers('idempotency-key') key?: string,
  ) {
    return this.catalog.apply(who, body, idempotencyKey(key));
  }

  @Get('catalog-applications')
  @ApiOkResponse({ type: CatalogApplicationPageDto, description: "The unit's applications, newest first." })
  list(@CurrentPrincipal() who: Principal, @Query() q: OwnApplicationsQuery) {
    return this.catalog.list(who, { status: q.status, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get('catalog-entries')
  @ApiOkResponse({ type: CatalogEntryPageDto, description: "The unit's entries in the matter catalog." })
  entries(@CurrentPrincipal() who: Principal, @Query() q: PageQuery) {
    return this.catalog.entries(who, { limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }
}
