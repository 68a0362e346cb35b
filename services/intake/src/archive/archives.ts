import { Readable } from 'node:stream';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiProduces,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import {
  ArchiveRepository,
  CurrentPrincipal,
  pageOf,
  PageDto,
  PageQuery,
  ProblemException,
  Roles,
  TicketArchiveDto,
  NotBlank,
} from '@hotline/platform';
import { ARCHIVE_CHECK_LIST_LIMIT, archiveYearProblem, FIRST_ARCHIVE_YEAR } from '@hotline/shared';
import type { Principal, Role } from '@hotline/shared';

/** How many records the export reads at a time. */
const EXPORT_PAGE = 500;

/** Who reads the archive and checks it: the administrator, and the auditor (its integrity is theirs to check). */
const ARCHIVE_READERS: Role[] = ['admin', 'auditor'];

export class SealArchiveDto {
  @ApiProperty({ type: 'integer', example: 2025, description: 'A year that is over (China time).' })
  @IsInt()
  @Min(FIRST_ARCHIVE_YEAR)
  @Max(9998)
  year!: number;
}

export class ArchiveDto {
  @ApiProperty({ example: 2025 })
  year!: number;

  @ApiProperty({ example: 1, description: 'How each record was digested (records.record_digest_v1).' })
  digestVersion!: number;

  @ApiProperty({ example: 18234, description: 'The tickets closed in the year, each entered once.' })
  ticketCount!: number;

  @ApiProperty({ description: 'SHA-256 of the entries, `ticketNo:digest` a line, by ticket number.' })
  rootDigest!: string;

  @ApiProperty({ example: 'admin' })
  sealedBy!: string;

  @ApiProperty({ format: 'date-time' })
  sealedAt!: string;
}

export class ArchiveSealedDto extends ArchiveDto {
  @ApiProperty({ description: 'true when the year had been sealed before: this is that seal.' })
  alreadyApplied!: boolean;
}

export class ArchivePageDto extends PageDto {
  @ApiProperty({ type: [ArchiveDto] })
  items!: ArchiveDto[];
}

/** A ticket in a sealed year: its entry as the ticket's own answer shows it, and its number. */
export class ArchiveEntryDto extends TicketArchiveDto {
  @ApiProperty({ example: '20251123000001' })
  ticketNo!: string;
}

export class ArchiveEntryPageDto extends PageDto {
  @ApiProperty({ type: [ArchiveEntryDto] })
  items!: ArchiveEntryDto[];
}

export class ArchiveVerificationDto {
  @ApiProperty({ example: 2025 })
  year!: number;

  @ApiProperty({ example: 18234 })
  checked!: number;

  @ApiProperty({ example: 18234 })
  unchanged!: number;

  @ApiProperty({
    example: 0,
    description:
      'How many records are no longer as they stand archived, sealed or last amended (an event added, altered ' +
      'or voided, a file added or withdrawn).',
  })
  changedCount!: number;

  @ApiProperty({
    type: [String],
    description: `Those tickets, the first ${ARCHIVE_CHECK_LIST_LIMIT} by number.`,
  })
  changed!: string[];

  @ApiProperty({
    example: 0,
    description: 'How many records are checked against an amendment (补充归档) rather than their seal.',
  })
  amendedCount!: number;

  @ApiProperty({
    type: [String],
    description: `Those tickets, the first ${ARCHIVE_CHECK_LIST_LIMIT} by number.`,
  })
  amended!: string[];

  @ApiProperty({ description: "Whether the year's entries still give its sealed root digest." })
  rootIntact!: boolean;

  @ApiProperty({ format: 'date-time' })
  checkedAt!: string;
}

export class AmendArchiveDto {
  @ApiProperty({
    example: '20251123000001',
    description: 'A ticket of the sealed year whose record has changed.',
  })
  @IsString()
  @Matches(/^\d{14}$/, { message: 'ticketNo is a ticket number (14 digits)' })
  ticketNo!: string;

  @ApiProperty({
    example: '经办单位误传附件，已撤回。',
    description: 'Why the record changed after its seal, kept with the amendment.',
  })
  @IsString()
  @Length(1, 500)
  @NotBlank()
  reason!: string;
}

export class ArchiveAmendmentDto {
  @ApiProperty({ example: '20251123000001' })
  ticketNo!: string;

  @ApiProperty({ example: 2025 })
  year!: number;

  @ApiProperty({
    description: 'The digest the record stood on before: the sealed one, or the last amendment’s.',
  })
  previousDigest!: string;

  @ApiProperty({ description: "SHA-256 of the ticket's whole record as it stood when amended." })
  digest!: string;

  @ApiProperty({ example: '经办单位误传附件，已撤回。' })
  reason!: string;

  @ApiProperty({ example: 'admin' })
  amendedBy!: string;

  @ApiProperty({ format: 'date-time' })
  amendedAt!: string;
}

export class ArchiveAmendedDto extends ArchiveAmendmentDto {
  @ApiProperty({
    description: 'true when the record was already amended as it stands: this is that amendment.',
  })
  alreadyApplied!: boolean;
}

export class ArchiveAmendmentPageDto extends PageDto {
  @ApiProperty({ type: [ArchiveAmendmentDto] })
  items!: ArchiveAmendmentDto[];
}

/** The yearly archive (RULES §8): a year over is sealed once; a sealed year is checked on demand. */
@Injectable()
export class ArchivesService {
  constructor(private readonly archives: ArchiveRepository) {}

  async seal(who: Principal, year: number) {
    const problem = archiveYearProblem(year, new Date());
    if (problem) throw new ProblemException(problem.code, problem.detail, { field: 'year' });
    const { archive, already } = await this.archives.seal(year, who.userId);
    return { ...archive, alreadyApplied: already };
  }

  async list(page: { limit: number; offset: number }) {
    return pageOf(await this.archives.list(page), page);
  }

  async get(year: string) {
    const archive = await this.archives.find(this.yearOf(year));
    if (!archive) throw new ProblemException('not_found', `no archive of ${year}`);
    return archive;
  }

  async entries(year: string, page: { limit: number; offset: number }) {
    const archive = await this.get(year);
    return pageOf(await this.archives.entries(archive.year, page), page);
  }

  async verify(year: string) {
    const y = this.yearOf(year);
    const found = await this.archives.verify(y);
    if (!found) throw new ProblemException('not_found', `no archive of ${year}`);
    return { year: y, ...found, checkedAt: new Date().toISOString() };
  }

  /**
   * Enters a sealed record again as it stands (补充归档): only one that changed since it was sealed
   * or last amended; the same amendment again is that amendment.
   */
  async amend(who: Principal, year: string, body: AmendArchiveDto) {
    const y = this.yearOf(year);
    const reason = body.reason.trim();
    if (reason.length === 0)
      throw new ProblemException('validation_failed', 'say why the record changed', { field: 'reason' });
    if (!(await this.archives.find(y))) throw new ProblemException('not_found', `no archive of ${year}`);
    const r = await this.archives.amend(y, body.ticketNo, reason, who.userId);
    switch (r.kind) {
      case 'amended':
      case 'already':
        return { ...r.amendment, alreadyApplied: r.kind === 'already' };
      case 'not_archived':
        throw new ProblemException('not_found', `ticket ${body.ticketNo} is not in the archive of ${y}`);
      case 'unchanged':
        throw new ProblemException(
          'archive_record_unchanged',
          `ticket ${body.ticketNo}'s record is as sealed: there is nothing to amend`,
        );
      case 'record_missing':
        throw new ProblemException('not_found', `ticket ${body.ticketNo} has no record to enter`);
    }
  }

  async amendments(year: string, page: { limit: number; offset: number }) {
    const archive = await this.get(year);
    return pageOf(await this.archives.amendments(archive.year, page), page);
  }

  /**
   * The year's records, one JSON text a line (NDJSON), by ticket number, read a page at a time:
   * the SHA-256 of each line is that ticket's standing digest while its record stands as archived.
   */
  async export(year: string): Promise<{ year: number; lines: AsyncIterable<string> }> {
    const archive = await this.get(year);
    const archives = this.archives;
    async function* lines() {
      for (let after = ''; ;) {
        const page = await archives.records(archive.year, after, EXPORT_PAGE);
        for (const r of page) yield `${r.record}\n`;
        if (page.length < EXPORT_PAGE) return;
        after = page[page.length - 1]!.ticketNo;
      }
    }
    return { year: archive.year, lines: lines() };
  }

  /** A year in the path; anything else names no archive (404). */
  private yearOf(year: string): number {
    if (!/^\d{4}$/.test(year)) throw new ProblemException('not_found', `no archive of ${year.slice(0, 20)}`);
    return Number(year);
  }
}

@ApiTags('archive')
@ApiBearerAuth()
@Controller('api/v1/archives')
export class ArchivesController {
  constructor(private readonly archives: ArchivesService) {}

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @ApiCreatedResponse({
    type: ArchiveSealedDto,
    description:
      'Seals a year that is over: every ticket closed in it is entered with the digest of its whole record. ' +
      'Once per year; sealing it again answers the seal (alreadyApplied). A year not over: 409 archive_year_open.',
  })
  seal(@Body() body: SealArchiveDto, @CurrentPrincipal() who: Principal) {
    return this.archives.seal(who, body.year);
  }

  @Get()
  @Roles(...ARCHIVE_READERS)
  @ApiOkResponse({ type: ArchivePageDto, description: 'The sealed years, the latest first.' })
  list(@Query() q: PageQuery) {
    return this.archives.list({ limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get(':year')
  @Roles(...ARCHIVE_READERS)
  @ApiOkResponse({ type: ArchiveDto, description: 'One sealed year.' })
  get(@Param('year') year: string) {
    return this.archives.get(year);
  }

  @Get(':year/entries')
  @Roles(...ARCHIVE_READERS)
  @ApiOkResponse({
    type: ArchiveEntryPageDto,
    description: "The year's tickets and their records' digests, by number.",
  })
  entries(@Param('year') year: string, @Query() q: PageQuery) {
    return this.archives.entries(year, { limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Post(':year/amendments')
  @HttpCode(201)
  @Roles('admin')
  @ApiCreatedResponse({
    type: ArchiveAmendedDto,
    description:
      'Enters a sealed record again as it stands now, with the reason (补充归档): the seal is kept, and the record ' +
      'is checked against this amendment from now on. Only a record changed since its seal or last amendment ' +
      '(409 archive_record_unchanged); the same amendment again answers it (alreadyApplied).',
  })
  amend(@Param('year') year: string, @Body() body: AmendArchiveDto, @CurrentPrincipal() who: Principal) {
    return this.archives.amend(who, year, body);
  }

  @Get(':year/amendments')
  @Roles(...ARCHIVE_READERS)
  @ApiOkResponse({ type: ArchiveAmendmentPageDto, description: "The year's amendments, the earliest first." })
  amendments(@Param('year') year: string, @Query() q: PageQuery) {
    return this.archives.amendments(year, { limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get(':year/export')
  @Roles('admin')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description:
      "The year's records as they stand, one JSON text a line, by ticket number (Content-Disposition: " +
      'attachment): the SHA-256 of a line is its entry’s standing digest (its latest amendment’s, else the sealed ' +
      'one) while the record stands as archived, so the file ' +
      'checks against the seal without the platform. The administrator only: the records hold the appeals.',
    schema: { type: 'string', format: 'binary' },
  })
  async export(@Param('year') year: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { year: y, lines } = await this.archives.export(year);
    void reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="archive-${y}.ndjson"`);
    return new StreamableFile(Readable.from(lines));
  }

  @Get(':year/verification')
  @Roles(...ARCHIVE_READERS)
  @ApiOkResponse({
    type: ArchiveVerificationDto,
    description: "Each sealed record's digest recomputed now: the records changed since the seal are named.",
  })
  verify(@Param('year') year: string) {
    return this.archives.verify(year);
  }
}
