import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME } from '@hotline/platform';

/*
 * The analysis's answers (hot spots, concentrated and persistent events: the rules in
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

  @ApiProperty({ type: [ConcentratedEventDto] })
  concentrated!: ConcentratedEventDto[];

  @ApiProperty({ type: [PersistentEventDto] })
  persistent!: PersistentEventDto[];
}
