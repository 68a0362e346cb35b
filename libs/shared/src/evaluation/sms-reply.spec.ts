import { parseSmsReply } from './sms-reply';

describe('the citizen’s SMS answer', () => {
  it.each([
    ['1', 'satisfied'],
    [' 1 ', 'satisfied'],
    ['１', 'satisfied'],
    ['1。', 'satisfied'],
    ['满意', 'satisfied'],
    ['满意！', 'satisfied'],
    ['1满意', 'satisfied'],
    ['2', 'basically_satisfied'],
    ['基本满意', 'basically_satisfied'],
    ['２ 基本满意', 'basically_satisfied'],
    ['3', 'unsatisfied'],
    ['不满意', 'unsatisfied'],
    ['不满', 'unsatisfied'],
    ['3不满意', 'unsatisfied'],
  ])('%j → %s', (text, verdict) => expect(parseSmsReply(text)).toBe(verdict));

  it.each(['', '4', '12', '0', 'ok', '还行吧', '1不满意', '满意但是路还没修', '3满意', 'STOP', '退订'])(
    '%j → no answer (an operator calls)',
    (text) => expect(parseSmsReply(text)).toBeNull(),
  );
});
