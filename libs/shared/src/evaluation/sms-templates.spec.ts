import { renderSms, SMS_TEMPLATE_IDS, SMS_TEMPLATES } from './sms-templates';

describe('SMS templates', () => {
  it('fills every placeholder', () => {
    expect(renderSms('callback', { ticketNo: '20261123000001' })).toBe(
      '【12345热线】您反映的20261123000001号诉求已办结，请评价办理结果：回复1满意，2基本满意，3不满意。感谢您的支持！',
    );
  });

  it('refuses a missing param instead of sending a blank', () => {
    expect(() => renderSms('evaluator_assigned', { ticketNo: '1' })).toThrow(/needs \{decideBy\}/);
  });

  it('every template is Chinese text signed as the hotline', () => {
    for (const id of SMS_TEMPLATE_IDS) {
      expect(SMS_TEMPLATES[id]).toMatch(/^【12345热线】/);
      expect(SMS_TEMPLATES[id]).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
