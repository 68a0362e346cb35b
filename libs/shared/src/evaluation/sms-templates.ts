/**
 * The texts the platform sends by SMS (Chinese: citizens and evaluators read them). One template
 * per purpose; `{name}` placeholders are filled from the message's params. A real provider
 * (Aliyun, Tencent) registers the same templates under its own template codes (env).
 */
export const SMS_TEMPLATES = {
  /** The ticket is accepted: its number and query code, to look it up and evaluate it online (RULES §1). */
  accepted:
    '【12345热线】您反映的诉求已受理，工单号{ticketNo}，查询码{queryCode}。您可凭工单号和查询码查询办理进度、评价办理结果。',
  /** Not accepted (不予受理, SQ art. 7): the reason; the guidance is in the look-up, which may be long. */
  not_accepted:
    '【12345热线】您反映的诉求（工单号{ticketNo}）不予受理：{reason}。办理建议可凭工单号和查询码{queryCode}查询。',
  /** The satisfaction callback (短信回访) after a ticket is replied and approved. */
  callback:
    '【12345热线】您反映的{ticketNo}号诉求已办结，请评价办理结果：回复1满意，2基本满意，3不满意。感谢您的支持！',
  /** An unsatisfied case assigned to an expert evaluator (专业评价员). */
  evaluator_assigned:
    '【12345热线】您有一件新的专业评价任务（工单{ticketNo}），请于{decideBy}前登录平台评价；如不适合评价，请立即退回。',
  /** The reminder 24 h after assignment (PA §3). */
  evaluator_reminder:
    '【12345热线】提醒：专业评价任务（工单{ticketNo}）尚未评价，请于{decideBy}前完成，逾期系统将自动收回。',
  /** The case was withdrawn from the evaluator (time ran out). */
  evaluator_withdrawn: '【12345热线】专业评价任务（工单{ticketNo}）已超过评价时限，系统已自动收回。',
  /** The case itself was withdrawn while the evaluator held it (the request behind it was voided). */
  evaluator_case_withdrawn:
    '【12345热线】专业评价任务（工单{ticketNo}）已撤销，无需再评价，请以平台显示为准。',
} as const;
export type SmsTemplateId = keyof typeof SMS_TEMPLATES;
export const SMS_TEMPLATE_IDS = Object.keys(SMS_TEMPLATES) as SmsTemplateId[];

/** The text of a template with its params filled in; a missing param is an error, not a blank. */
export function renderSms(template: SmsTemplateId, params: Record<string, string>): string {
  return SMS_TEMPLATES[template].replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`SMS template ${template} needs {${name}}`);
    return v;
  });
}
