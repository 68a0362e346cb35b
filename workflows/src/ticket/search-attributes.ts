import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Typed keys of the search attributes registered by scripts/stack.sh (see SEARCH_ATTRIBUTES). */
export const TicketNoKey = defineSearchAttributeKey('TicketNo', SearchAttributeType.KEYWORD);
export const UnitIdKey = defineSearchAttributeKey('UnitId', SearchAttributeType.KEYWORD);
export const UnitIdsKey = defineSearchAttributeKey('UnitIds', SearchAttributeType.KEYWORD_LIST);
export const TicketStatusKey = defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD);
export const RegionKey = defineSearchAttributeKey('Region', SearchAttributeType.KEYWORD);
export const CategoryKey = defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD);
export const DueAtKey = defineSearchAttributeKey('DueAt', SearchAttributeType.DATETIME);
