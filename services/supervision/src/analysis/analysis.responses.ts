import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME } from '@hotline/platform';

/*
 * The analysis's answers (hot spots, hot, concentrated and persistent events, cross-district and
 * cross-department hot spots: the rules in
 * libs/shared/src/supervision/analysis.ts), for the OpenAPI document only (the service returns
 * plain objects); test/e2e/openapi-responses.integration-spec.ts holds real answers to these schemas.
 */

/** A category, region or keyword and its tickets. */
export class KeyCountDto {
  @ApiProperty({ example: 'road' })
  key!: string;

  @ApiProperty({ type: 'integer' })
  count!: number;
}

/** The most frequent categories, regions and title keywords (the first 10 of each), the most first. */
export class HotSpotsDto {
  @ApiProperty({ type: [KeyCountDto] })
  byCategory!: KeyCountDto[];

  @ApiProperty({ type: [KeyCountDto] })
  byRegion!: KeyCountDto[];

  @ApiProperty({ type: [KeyCountDto], description: 'A keyword counts once per ticket.' })
  byKeyword!: KeyCountDto[];
}

/** A concentrated event (集中事件): five or more tickets of one region and category within 24 hours. */
export class ConcentratedEventDto {
  @ApiProperty({ example: 'hexi' })
  regionCode!: string;

  @ApiProperty({ example: 'food-safety' })
  category!: string;

  @ApiProperty({ ...DATE_TIME, description: 'When its first ticket was created.' })
  from!: string;

  @ApiProperty({ ...DATE_TIME, description: 'When its last ticket was created.' })
  to!: string;

  @ApiProperty({ type: [String], example: ['20261123000001'] })
  ticketNos!: string[];

  @ApiProperty({ type: 'integer' })
  count!: number;
}

/**
 * A persistent event (持续事件): a category or title keyword of one region with two or more tickets a
 * week for three or more consecutive ISO weeks (China time).
 */
export class PersistentEventDto {
  @ApiProperty({ example: 'hexi' })
  regionCode!: string;

  @ApiProperty({ example: '菜市场', description: 'The category or the title keyword.' })
  subject!: string;

  @ApiProperty({ enum: ['keyword', 'category'] })
  subjectKind!: string;

  @ApiProperty({ type: [String], example: ['2026-W46', '2026-W47', '2026-W48'] })
  weeks!: string[];

  @ApiProperty({ type: [String], example: ['20261123000001'] })
  ticketNos!: string[];
}

/**
 * A hot event (热点事件): a category or title keyword, city-wide, with ten or more tickets in the
 * window and at least twice as many as in the window of equal length just before it (or none
 * before: it is new).
 */
export class HotEventDto {
  @ApiProperty({ example: '单车', description: 'The category (its code) or the title keyword.' })
  subject!: string;

  @ApiProperty({ enum: ['keyword', 'category'] })
  subjectKind!: string;

  @ApiProperty({ ...DATE_TIME, description: 'The window, inclusive.' })
  from!: string;

  @ApiProperty({ ...DATE_TIME, description: 'The window, exclusive.' })
  to!: string;

  @ApiProperty({
    type: [String],
    example: ['20261123000001'],
    description: 'Its tickets in the window, in order of creation.',
  })
  ticketNos!: string[];

  @ApiProperty({ type: 'integer', description: 'Its tickets in the window (at least 10).' })
  count!: number;

  @ApiProperty({
    type: 'integer',
    description:
      'Its tickets in the window of equal length just before (from − (to − from) to from): at most half of count; 0 when it is new.',
  })
  previousCount!: number;
}

/**
 * A cross-district, cross-department hot spot (跨区域、跨部门热点): a category or title keyword whose
 * tickets in the period are in two or more regions and with two or more units.
 */
export class CrossHotSpotDto {
  @ApiProperty({ example: '单车', description: 'The category (its code) or the title keyword.' })
  subject!: string;

  @ApiProperty({ enum: ['keyword', 'category'] })
  subjectKind!: string;

  @ApiProperty({ type: 'integer', description: 'Its tickets in the period, those without a unit included.' })
  count!: number;

  @ApiProperty({
    type: [KeyCountDto],
    description: 'Its tickets per region code (two or more regions), the most first, then by code.',
  })
  byRegion!: KeyCountDto[];

  @ApiProperty({
    type: [KeyCountDto],
    description:
      'Its tickets per unit id (two or more units; a ticket not yet with a unit is in none), the most first, then by id.',
  })
  byUnit!: KeyCountDto[];
}

/** The hot spots and events of the tickets created in [from, to). */
export class HotSpotsAnalysisDto {
  @ApiProperty(DATE_TIME)
  from!: string;

  @ApiProperty(DATE_TIME)
  to!: string;

  @ApiProperty({ type: 'integer', description: 'Tickets analysed (those with a category and region).' })
  tickets!: number;

  @ApiProperty({ type: HotSpotsDto })
  hotSpots!: HotSpotsDto;

  @ApiProperty({
    type: [HotEventDto],
    description: '[from, to) against the span of equal length just before it; the most tickets first.',
  })
  hot!: HotEventDto[];

  @ApiProperty({ type: [ConcentratedEventDto] })
  concentrated!: ConcentratedEventDto[];

  @ApiProperty({ type: [PersistentEventDto] })
  persistent!: PersistentEventDto[];

  @ApiProperty({ type: [CrossHotSpotDto], description: 'All of them, the most tickets first.' })
  crossHotSpots!: CrossHotSpotDto[];
}
