import { randomUUID } from 'node:crypto';
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
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import {
  CatalogApplicationDto,
  CatalogApplicationPageDto,
  CatalogApplicationRepository,
  CatalogEntryPageDto,
  CatalogRepository,
  CurrentPrincipal,
  NotBlank,
  pageOf,
  PageQuery,
  ProblemException,
  Roles,
  UnitFilter,
} from '@hotline/platform';
import { APPLICATION_STATUSES, applicationProblem } from '@hotline/shared';
import type { ApplicationStatus, Principal } from '@hotline/shared';

export class ApplicationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: ApplicationStatus;

  @UnitFilter()
  unitId?: string;
}

export class EntriesQuery extends PageQuery {
  @UnitFilter()
  unitId?: string;

  @ApiPropertyOptional({ example: 'road' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  category?: string;
}

export class CentreEntryDto {
  @ApiProperty({ example: 'housing', description: 'The unit the matter goes to.' })
  @IsString()
  @Length(1, 64)
  unitId!: string;

  @ApiProperty({ example: '老旧小区加装电梯' })
  @IsString()
  @Length(1, 200)
  @NotBlank()
  name!: string;

  @ApiProperty({ example: 'elevator-retrofit' })
  @IsString()
  @Length(1, 64)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'category is lowercase letters, digits and hyphens' })
  category!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'gulou' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Length(1, 64)
  regionCode?: string | null;

  @ApiPropertyOptional({ type: 'integer', example: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  priority?: number;

  @ApiProperty({ example: '特事特办工单20261206000031派住建局办理，此类事项今后按此派单。' })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  reason!: string;
}

export class CatalogDecisionDto {
  @ApiProperty({ description: 'Approved: the catalog changes at once, and routing follows it.' })
  @IsBoolean()
  approve!: boolean;

  @ApiPropertyOptional({ example: '同意，按市政府办公厅文件调整。' })
  @IsOptional()
  @IsString()
  @Length(0, 2000)
  note?: string;
}

/** The centre decides on the units' applications to change the matter catalog (RULES §5). */
@Injectable()
export class CatalogDecisionsService {
  constructor(
    private readonly applications: CatalogApplicationRepository,
    private readonly catalog: CatalogRepository,
  ) {}

  async list(q: { status?: string; unitId?: string; limit: number; offset: number }) {
    return pageOf(await this.applications.applications(q), q);
  }

  async entries(q: { unitId?: string; category?: string; limit: number; offset: number }) {
    return pageOf(await this.applications.entries(q), q);
  }

  /**
   * After a ticket the catalog did not cover was dispatched by hand (特事特办), the centre decides to
   * add the matter for the unit that handled it: recorded as that unit's application, approved at once.
   */
  async addForUnit(who: Principal, body: CentreEntryDto) {
    if (!(await this.catalog.unit(body.unitId)))
      throw new ProblemException('unknown_unit', `no unit "${body.unitId}"`, { field: 'unitId' });
    if (body.regionCode && !(await this.catalog.regionExists(body.regionCode)))
      throw new ProblemException('unknown_region', `no region "${body.regionCode}" in this city`);
    const { unitId, ...entry } = body;
    const problem = applicationProblem({ action: 'add', ...entry }, unitId, null);
    if (problem) throw new ProblemException(problem.code, problem.message);
    // Only a matter the catalog does not cover: a covered one changes on its unit's application.
    const holder = await this.applications.entryForMatter(entry.category, entry.regionCode ?? null);
    if (holder)
      throw new ProblemException(
        'catalog_matter_exists',
        `the catalog covers this matter already (entry ${holder}): its unit applies to change it`,
      );
    const asked = await this.applications.apply(randomUUID(), unitId, who.userId, {
      action: 'add',
      ...entry,
    });
    try {
      return await this.decide(who, asked.id, { approve: true, note: '中心决定新增（特事特办后）' });
    } catch (err) {
      // Another entry took the matter meanwhile (additions sent at once): the application the
      // centre made is settled as refused, not left pending in the unit's name.
      if (err instanceof ProblemException && err.code === 'catalog_matter_exists')
        await this.applications.decide(asked.id, {
          approve: false,
          by: who.userId,
          note: '该事项已由其他条目承办（一事一流程），未新增',
        });
      throw err;
    }
  }

  async decide(who: Principal, id: string, body: CatalogDecisionDto) {
    const app = await this.applications.application(id);
    if (!app) throw new ProblemException('not_found', `no catalog application ${id}`);
    const decided = await this.applications.decide(id, {
      approve: body.approve,
      by: who.userId,
      note: body.note?.trim() ?? '',
    });
    if (decided === 'matter_taken')
      throw new ProblemException(
        'catalog_matter_exists',
        'another active catalog entry holds this matter (category and region): one matter, one process',
      );
    if (decided === 'entry_gone')
      throw new ProblemException(
        'conflict',
        `the entry ${app.entryId} was removed from the catalog meanwhile`,
      );
    if (decided === null) {
      // Decided already: the same decision again is that decision; another one comes too late.
      const now = (await this.applications.application(id))!;
      if (now.status === (body.approve ? 'approved' : 'refused')) return now;
      throw new ProblemException('conflict', `catalog application ${id} was ${now.status} already`);
    }
    // Routing reads the catalog through a short cache: this process sees the change at once.
    if (decided.status === 'approved') this.catalog.forget();
    return decided;
  }
}

@ApiTags('matter catalog')
@ApiBearerAuth()
@Controller('api/v1')
export class CatalogDecisionsController {
  constructor(private readonly decisions: CatalogDecisionsService) {}

  @Get('catalog-applications')
  @Roles('reviewer', 'supervisor', 'admin')
  @ApiOkResponse({ type: CatalogApplicationPageDto, description: 'The units’ applications, newest first.' })
  list(@Query() q: ApplicationsQuery) {
    return this.decisions.list({
      status: q.status,
      unitId: q.unitId,
      limit: q.limit ?? 20,
      offset: q.offset ?? 0,
    });
  }

  @Post('catalog-applications/:applicationId/decision')
  @Roles('reviewer', 'supervisor', 'admin')
  @HttpCode(200)
  @ApiOkResponse({
    type: CatalogApplicationDto,
    description:
      'The centre approves (the catalog changes in the same transaction) or refuses; the same decision ' +
      'again answers it as it stands, another one is 409 conflict.',
  })
  decide(
    @CurrentPrincipal() who: Principal,
    @Param('applicationId') id: string,
    @Body() body: CatalogDecisionDto,
  ) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new ProblemException('not_found', `no catalog application ${id}`);
    return this.decisions.decide(who, id, body);
  }

  @Post('catalog-entries')
  @Roles('reviewer', 'supervisor', 'admin')
  @HttpCode(201)
  @ApiCreatedResponse({
    type: CatalogApplicationDto,
    description:
      'The centre adds a matter for a unit itself, having dispatched such a ticket by hand (特事特办): ' +
      'recorded as the unit’s application, approved at once (`entryId` names the new entry).',
  })
  addForUnit(@CurrentPrincipal() who: Principal, @Body() body: CentreEntryDto) {
    return this.decisions.addForUnit(who, body);
  }

  @Get('catalog-entries')
  @Roles('operator', 'reviewer', 'supervisor', 'admin')
  @ApiOkResponse({ type: CatalogEntryPageDto, description: 'The matter catalog, by category.' })
  entries(@Query() q: EntriesQuery) {
    return this.decisions.entries({
      unitId: q.unitId,
      category: q.category,
      limit: q.limit ?? 20,
      offset: q.offset ?? 0,
    });
  }
}
