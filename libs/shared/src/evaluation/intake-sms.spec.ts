import { EXCLUSION_REASONS } from '../domain/vocabulary';
import { intakeSms } from './intake-sms';
import { renderSms } from './sms-templates';

describe('The SMS at intake: the number and the query code (RULES §1)', () => {
  const NO = '20261206000042';

  it('an accepted ticket: its number and query code, to look it up and evaluate it online', () => {
    for (const d of [
      undefined,
      { type: 'dispatch' as const },
      { type: 'direct_answer' as const, answer: null },
      { type: 'direct_answer' as const, answer: '可到政务中心3号窗口办理。' },
    ]) {
      const sms = intakeSms(NO, d, '012345');
      expect(sms).toEqual({
        key: `intake:${NO}`,
        template: 'accepted',
        params: { ticketNo: NO, queryCode: '012345' },
      });
      expect(renderSms(sms.template, sms.params)).toBe(
        `【12345热线】您反映的诉求已受理，工单号${NO}，查询码012345。您可凭工单号和查询码查询办理进度、评价办理结果。`,
      );
    }
  });

  it('a ticket not accepted: the reason in Chinese; the guidance, maybe long, stays in the look-up', () => {
    const guidance = '请向区人民法院提起诉讼。'.repeat(100);
    const sms = intakeSms(NO, { type: 'not_accepted', reason: 'other_legal_channel', guidance }, '999999');
    expect(sms.key).toBe(`intake:${NO}`);
    const text = renderSms(sms.template, sms.params);
    expect(text).toBe(
      `【12345热线】您反映的诉求（工单号${NO}）不予受理：已进入或依法应通过信访、仲裁、行政复议、诉讼等途径解决。办理建议可凭工单号和查询码999999查询。`,
    );
    expect(text).not.toContain('区人民法院');
  });

  it('every reason renders, and one ticket has one key whatever its disposition', () => {
    for (const reason of EXCLUSION_REASONS) {
      const sms = intakeSms(NO, { type: 'not_accepted', reason, guidance: 'x' }, '000000');
      expect(renderSms(sms.template, sms.params)).toMatch(/不予受理：[\u4e00-\u9fff]/);
      expect(sms.key).toBe(intakeSms(NO, { type: 'dispatch' }, '000000').key);
    }
  });
});
