import type { NewTicket } from '../src';

/** The operator who registers the tests' tickets. */
export const OPERATOR = { kind: 'user' as const, userId: 'operator', role: 'operator' as const };

/** A road complaint in gulou without personal data; `over` sets what a test is about. */
export const newTicket = (over: Partial<NewTicket> = {}): NewTicket => ({
  channel: 'phone',
  kind: 'complaint',
  category: 'road',
  regionCode: 'gulou',
  title: '路面破损',
  content: '中山路128号人行道地砖松动。',
  address: null,
  complainantName: null,
  complainantPhone: null,
  confidential: false,
  respondent: null,
  demand: null,
  ...over,
});
