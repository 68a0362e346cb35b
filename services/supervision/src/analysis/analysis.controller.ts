import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { DATE_TIME, IsDay, IsInstant, PageDto, PageQuery, Roles } from '@hotline/platform';
import { chinaDayKey, REPORT_KINDS } from '@hotline/shared';
import type { ReportKind } from '@hotline/shared';
import { renderReportHtml } from '../reports/html';
import { SupervisionReportDto } from '../reports/reports.responses';
import { renderReportXlsx } from '../reports/xlsx';
import { HotSpotsAnalysisDto } from './analysis.responses';
import { AnalysisService } from './analysis.service';

export class HotSpotsQuery {
  @ApiProperty({ example: '2026-11-01T00:00:00+08:00', format: 'date-time' })
  @IsInstant()
  from!: string;

  @ApiProperty({ example: '2026-12-01T00:00:00+08:00', format: 'date-time' })
  @IsInstant()
  to!: string;
}

const TRACKED_KINDS = ['hot', 'concentrated', 'persistent'] as const;

export class TrackedQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TRACKED_KINDS })
  @IsOptional()
  @IsIn(TRACKED_KINDS)
  kind?: string;
}

/** A hot, concentrated or persistent event the analysis found, tracked since it was first seen. */
export class TrackedEventDto {
  @ApiProperty({
    description:
      'The event: its kind, region and subject (a hot event: its kind, subject kind, subject and the start of the window it was first found in).',
  })
  key!: string;

  @ApiProperty({ enum: TRACKED_KINDS })
  kind!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'hexi',
    description: 'Null for a hot event (city-wide) and only for one.',
  })
  regionCode!: string | null;

  @ApiProperty({ description: 'The category or the title keyword its tickets share.' })
  subject!: string;

  @ApiProperty(DATE_TIME)
  firstSeenAt!: string;

  @ApiProperty(DATE_TIME)
  lastSeenAt!: string;

  @ApiProperty({
    ...DATE_TIME,
    description:
      'The span its tickets were found in (a hot event: the windows it was hot in, together, ending no later than when it was last seen).',
  })
  periodFrom!: string;

  @ApiProperty(DATE_TIME)
  periodTo!: string;

  @ApiProperty({
    type: 'integer',
    description: 'Its tickets (a hot event: of all the windows it was hot in).',
  })
  ticketCount!: number;

  @ApiProperty({ type: [String], example: ['20261123000001'] })
  ticketNos!: string[];
}

export class TrackedEventPageDto extends PageDto {
  @ApiProperty({ type: [TrackedEventDto] })
  items!: TrackedEventDto[];
}

export class ReportParams {
  @ApiProperty({ enum: REPORT_KINDS })
  @IsIn(REPORT_KINDS)
  kind!: ReportKind;
}

export class ReportQuery {
  @ApiPropertyOptional({
    example: '2026-11-23',
    description: 'A day in the period (China time); today by default.',
  })
  @IsOptional()
  @IsDay()
  date?: string;

  @ApiPropertyOptional({ enum: ['json', 'html', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'html', 'xlsx'])
  format?: 'json' | 'html' | 'xlsx';
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The first day of a report's period in China time, YYYY-MM-DD (its `from` is in UTC). */
export function reportDay(from: string): string {
  const d = chinaDayKey(new Date(from));
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}

/**
 * Hot spots, hot, concentrated and persistent events, cross-district and cross-department hot
 * spots, and the daily / weekly / monthly reports.
 */
@ApiTags('analysis')
@ApiBearerAuth()
@Roles('supervisor', 'reviewer', 'admin')
@Controller('api/v1')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('analysis/hot-spots')
  @ApiOkResponse({
    type: HotSpotsAnalysisDto,
    description:
      'By category, region and title keyword; hot, concentrated and persistent events; cross-district, cross-department hot spots (≤ 92 days).',
  })
  hotSpots(@Query() q: HotSpotsQuery) {
    return this.analysis.hotSpots(q.from, q.to);
  }

  @Get('analysis/events')
  @ApiOkResponse({
    type: TrackedEventPageDto,
    description: 'Hot, concentrated and persistent events found so far, tracked with first and last seen.',
  })
  tracked(@Query() q: TrackedQuery) {
    return this.analysis.tracked({ kind: q.kind, limit: q.limit ?? 20, offset: q.offset ?? 0 });
  }

  @Get('reports/:kind')
  @ApiExtraModels(SupervisionReportDto)
  @ApiOkResponse({
    description: 'The report as JSON, as a page with its charts (ECharts, SVG), or as XLSX.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SupervisionReportDto) } },
      'text/html': { schema: { type: 'string', description: 'format=html: the page.' } },
      [XLSX]: { schema: { type: 'string', format: 'binary', description: 'format=xlsx: the workbook.' } },
    },
  })
  async report(
    @Param() p: ReportParams,
    @Query() q: ReportQuery,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    // Noon in China on the day asked (a real one: @IsDay), or now.
    const at = q.date ? new Date(`${q.date}T12:00:00+08:00`) : new Date();
    const report = await this.analysis.report(p.kind, at);
    if (q.format === 'html') {
      void res.header('content-type', 'text/html; charset=utf-8');
      return renderReportHtml(report);
    }
    if (q.format === 'xlsx') {
      void res.header('content-type', XLSX);
      void res.header(
        'content-disposition',
        `attachment; filename="report-${p.kind}-${reportDay(report.from)}.xlsx"`,
      );
      return renderReportXlsx(report);
    }
    return report;
  }
}
