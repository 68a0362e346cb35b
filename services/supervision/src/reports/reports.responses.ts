import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATE_TIME } from '@hotline/platform';
import { REPORT_KINDS } from '@hotline/shared';
import {
  ConcentratedEventDto,
  CrossHotSpotDto,
  HotEventDto,
  HotSpotsDto,
  PersistentEventDto,
} from '../analysis/analysis.responses';

/*
 * The daily, weekly and monthly report as JSON (SupervisionReport, ./report.ts), for the OpenAPI
 * document only; test/e2e/openapi-responses.integration-spec.ts holds a real report to this schema.
 */

/** The period's figures. */
export class ReportTotalsDto {
  @ApiProperty({ type: 'integer', description: 'Tickets created in the period.' })
  created!: number;

  @ApiProperty({ type: 'integer', description: 'Tickets closed in the period.' })
  closed!: number;

  @ApiProperty({ type: 'integer', description: 'Of the verdicts counted, satisfied or basically satisfied.' })
  satisfied!: number;

  @ApiProperty({ type: 'integer', description: 'Verdicts counted in the period.' })
  evaluated!: number;
}

/** A rate against the target seen in practice. */
export class RateAgainstTargetDto {
  @ApiProperty({ type: Number, nullable: true, description: '0–1; null with nothing to count.' })
  rate!: number | null;

  @ApiProperty({ example: 0.6 })
  target!: number;

  @ApiProperty({ type: Boolean, nullable: true, description: 'null with nothing to count.' })
  meetsTarget!: boolean | null;
}

export class ResolutionAgainstTargetDto extends RateAgainstTargetDto {
  @ApiProperty({
    type: 'integer',
    description: 'Citizens asked on the manual callback whether the problem was actually solved.',
  })
  asked!: number;
}

export class SatisfactionAgainstTargetDto extends RateAgainstTargetDto {
  @ApiProperty({ type: 'integer', description: 'Verdicts counted.' })
  evaluated!: number;
}

export class ScopeTargetsDto {
  @ApiProperty({ type: ResolutionAgainstTargetDto, description: 'The actual resolution rate (实际解决率).' })
  resolution!: ResolutionAgainstTargetDto;

  @ApiProperty({ type: SatisfactionAgainstTargetDto, description: 'The satisfaction rate (满意率).' })
  satisfaction!: SatisfactionAgainstTargetDto;
}

/** The targets seen in practice (RULES §7), over the tickets closed in the period. */
export class ReportTargetsDto {
  @ApiProperty({ type: ScopeTargetsDto, description: 'City-wide: at least 60 %.' })
  city!: ScopeTargetsDto;

  @ApiProperty({
    type: ScopeTargetsDto,
    description: 'Supervised tickets (a reminder or order raised, not withdrawn): at least 50 %.',
  })
  supervised!: ScopeTargetsDto;
}

/** One unit's line of the report. */
export class ReportUnitLineDto {
  @ApiProperty({ example: 'transport' })
  unitId!: string;

  @ApiProperty({ example: '市交通运输局' })
  unitName!: string;

  @ApiProperty({ type: 'integer', description: 'Its tickets created in the period.' })
  total!: number;

  @ApiProperty({ type: 'integer', description: 'Its tickets closed in the period.' })
  closed!: number;

  @ApiProperty({ type: 'integer', description: 'Its late signs in the period.' })
  lateSigns!: number;

  @ApiProperty({ type: Number, nullable: true, description: '0–1; null with nothing evaluated.' })
  satisfactionRate!: number | null;
}

/** Display names of the category and region codes. */
export class ReportNamesDto {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { road: '道路交通' } })
  categories!: Record<string, string>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { gulou: '鼓楼区' } })
  regions!: Record<string, string>;
}

/** A daily, weekly or monthly report (RULES §7): the analysis runs over the tickets created in it. */
export class SupervisionReportDto {
  @ApiProperty({ enum: REPORT_KINDS })
  kind!: string;

  @ApiProperty({ example: '2026年第48周' })
  label!: string;

  @ApiProperty({ ...DATE_TIME, description: 'China-time midnight, inclusive.' })
  from!: string;

  @ApiProperty({ ...DATE_TIME, description: 'Exclusive.' })
  to!: string;

  @ApiProperty(DATE_TIME)
  generatedAt!: string;

  @ApiProperty({ type: ReportTotalsDto })
  totals!: ReportTotalsDto;

  @ApiProperty({ type: ReportTargetsDto })
  targets!: ReportTargetsDto;

  @ApiProperty({ type: HotSpotsDto })
  hotSpots!: HotSpotsDto;

  @ApiProperty({
    type: [HotEventDto],
    description: 'The period against the one of equal length just before it.',
  })
  hot!: HotEventDto[];

  @ApiProperty({ type: [ConcentratedEventDto] })
  concentrated!: ConcentratedEventDto[];

  @ApiProperty({
    type: [PersistentEventDto],
    description: 'Those with a ticket in the period (their weeks may begin before it).',
  })
  persistent!: PersistentEventDto[];

  @ApiPropertyOptional({
    type: [CrossHotSpotDto],
    description:
      'The cross-district, cross-department hot spots of the period: in the weekly and monthly reports, absent from the daily one.',
  })
  crossHotSpots?: CrossHotSpotDto[];

  @ApiProperty({ type: [ReportUnitLineDto] })
  units!: ReportUnitLineDto[];

  @ApiProperty({ type: ReportNamesDto })
  names!: ReportNamesDto;
}
