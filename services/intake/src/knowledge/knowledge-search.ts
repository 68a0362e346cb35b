import { Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';
import {
  cutWords,
  KnowledgeRepository,
  KnowledgeVersionPageDto,
  pageOf,
  PageQuery,
  ProblemException,
  Roles,
  UnitFilter,
  wordsOf,
} from '@hotline/platform';
import { CENTRE_ROLES, isStale, MAX_SEARCH_WORDS, searchWords } from '@hotline/shared';

export class KnowledgeSearchQuery extends PageQuery {
  @ApiPropertyOptional({
    example: '加装电梯 补贴',
    description:
      'Words the title, content or keywords all hold (up to 5 terms, split on spaces and punctuation; each cut into its words, which need not stand together or in that order).',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;

  @UnitFilter()
  unitId?: string;

  @ApiPropertyOptional({
    description: 'Only entries past their review day (stale): for the centre to chase.',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  stale?: boolean;
}

/** Operators search the units' published knowledge to answer citizens directly (直接解答, RULES §5). */
@Injectable()
export class KnowledgeSearchService {
  constructor(private readonly knowledge: KnowledgeRepository) {}

  async search(q: { q?: string; unitId?: string; stale?: boolean; limit: number; offset: number }) {
    // Stale: its review day has ended in China, so today's China day is after it.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    // Up to 5 terms, as the ledger; each cut into its words (jieba), at most MAX_SEARCH_WORDS in all.
    const terms = searchWords(wordsOf(q.q) ?? [], cutWords);
    if (terms.length > MAX_SEARCH_WORDS)
      throw new ProblemException(
        'validation_failed',
        `q cuts into ${terms.length} words; at most ${MAX_SEARCH_WORDS} are looked for together`,
        { field: 'q' },
      );
    const found = await this.knowledge.search({
      // Each term's words (jieba), so the words need not stand together or in that order.
      terms,
      unitId: q.unitId,
      staleBefore: q.stale ? today : undefined,
      limit: q.limit,
      offset: q.offset,
    });
    // Each marked when past its review day: the operator answering from it sees it may be outdated.
    const now = Date.now();
    return pageOf(
      { ...found, items: found.items.map((v) => ({ ...v, stale: isStale(v.validUntil, now) })) },
      q,
    );
  }
}

@ApiTags('knowledge base')
@ApiBearerAuth()
@Controller('api/v1/knowledge')
export class KnowledgeSearchController {
  constructor(private readonly knowledge: KnowledgeSearchService) {}

  @Get()
  @Roles(...CENTRE_ROLES)
  @ApiOkResponse({
    type: KnowledgeVersionPageDto,
    description:
      'The published entries that match, the best match first (words in the title, then the keywords, then the content), then by title.',
  })
  search(@Query() q: KnowledgeSearchQuery) {
    return this.knowledge.search({
      q: q.q,
      unitId: q.unitId,
      stale: q.stale,
      limit: q.limit ?? 20,
      offset: q.offset ?? 0,
    });
  }
}
