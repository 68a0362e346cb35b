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

export class TrackedQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['concentrated', 'persistent'] })
  @IsOptional()
  @IsIn(['concentrated', 'persistent'])
  kind?: string;
}

/** A concentrated or persistent event the analysis found, tracked since it was first seen. */
export class TrackedEventDto {
  @ApiProperty({ description: 'The event: its kind, region and subject.' })
  key!: string;

  @ApiProperty({ enum: ['concentrated', 'persistent'] })
  kind!: string;

  @ApiProperty({ example: 'hexi' })
  regionCode!: string;

  @ApiProperty({ description: 'The category or the title keyword its tickets share.' })
  subject!: string;

  @ApiProperty(DATE_TIME)
  firstSeenAt!: string;

  @ApiProperty(DATE_TIME)
  lastSeenAt!: string;

  @ApiProperty({ ...DATE_TIME, description: 'The span its tickets were found in.' })
  periodFrom!: string;

  @ApiProperty(DATE_TIME)
  periodTo!: string;

  @ApiProperty({ type: 'integer' })
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

/** Hot spots, concentrated and persistent events, and the daily / weekly / monthly reports. */
/** The first day of a report's period in China time, YYYY-MM-DD (its `from` is in UTC). */
export function reportDay(from: string): string {
  const d = chinaDayKey(new Date(from));
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}

@ApiTags('analysis')
@ApiBearerAuth()
@Roles('supervisor', 'reviewer', 'admin')
@Controller('api/v1')
export class AnalysisController {
  constructor(private readonly analysis: AnalysisService) {}

  @Get('analysis/hot-spots')
  @ApiOkResponse({
    type: HotSpotsAnalysisDto,
    description: 'By category, region and title keyword; concentrated and persistent events (≤ 92 days).',
  })
  hotSpots(@Query() q: HotSpotsQuery) {
    return this.analysis.hotSpots(q.from, q.to);
  }

  @Get('analysis/events')
  @ApiOkResponse({
    type: TrackedEventPageDto,
    description: 'Concentrated and persistent events found so far, tracked with first and last seen.',
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
