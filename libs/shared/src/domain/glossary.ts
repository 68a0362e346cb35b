import type {
  AppealKind,
  Channel,
  ChannelDetail,
  ComplaintNature,
  CoordinationLevel,
  DeadlineKind,
  ExclusionReason,
  Role,
  TicketStatus,
  Verdict,
} from './vocabulary';
import type { AssignmentStatus } from '../ticket/state';

/**
 * The glossary mapping (shared/domain/GLOSSARY.md) kept in one place in code: code and APIs use
 * the English term, text a citizen or clerk reads uses the Chinese one.
 */
export const TERMS = {
  appeal: '诉求',
  ticket: '工单',
  hotlineCentre: '12345热线',
  operator: '话务员',
  unit: '承办单位',
  leadUnit: '牵头单位',
  assistingUnit: '协办单位',
  channel: '渠道',
  leaderMailbox: '领导信箱',
  accept: '受理',
  notAccept: '不予受理',
  directAnswer: '直接答复',
  dispatch: '派单',
  sign: '签收',
  return: '退回',
  extension: '延期',
  reply: '答复',
  replyReview: '答复认定',
  closureStandard: '办结标准',
  callback: '回访',
  satisfied: '满意',
  basicallySatisfied: '基本满意',
  unsatisfied: '不满意',
  rectification: '核实整改',
  expertEvaluator: '专业评价员',
  knowledgeBase: '知识库',
  matterCatalog: '承办事项库',
  coordination: '协调',
  reminder: '催办',
  supervisionOrder: '督办',
  repeatedComplaint: '重复投诉',
  interview: '约谈',
  circular: '通报',
  leaderInstruction: '领导批示',
  assessment: '考核',
  ledger: '台账',
  workingDay: '工作日',
} as const;

export const CHANNEL_LABELS: Record<Channel, string> = {
  phone: '电话',
  web: '网站',
  wechat: '微信',
  sms: '短信',
  email: '电子邮箱',
  app: '移动应用',
  visit: '来访',
  letter: '来信',
  leader_mailbox: '领导信箱',
  forum: '网络论坛',
  upper_platform: '上级平台交办',
};

export const CHANNEL_DETAIL_LABELS: Record<ChannelDetail, string> = {
  provincial_secretary: '省委书记信箱',
  governor: '省长信箱',
  city_secretary: '市委书记信箱',
  mayor: '市长信箱',
  district_leader: '区领导信箱',
  bureau_chief: '局长信箱',
  conduct_hotline: '政风行风热线',
  state_council_supervision: '国务院“互联网+督查”',
  national_service_platform: '国家政务服务平台',
  provincial_12345: '省12345',
  service_review: '政务服务好差评',
};

export const COORDINATION_LEVEL_LABELS: Record<CoordinationLevel, string> = {
  centre: '热线中心协调',
  leadership_group: '领导小组协调',
};

export const APPEAL_KIND_LABELS: Record<AppealKind, string> = {
  consultation: '咨询',
  help_request: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
  other: '其他',
};

export const COMPLAINT_NATURE_LABELS: Record<ComplaintNature, string> = {
  efficiency: '效能投诉',
  conduct: '纠风',
  integrity: '廉政举报',
};

export const TICKET_STATUS_LABELS: Record<TicketStatus, string> = {
  created: '已受理',
  dispatched: '已派单',
  returned: '已退回待审核',
  signed: '已签收',
  replied: '已答复待审核',
  callback: '回访中',
  rectifying: '核实整改中',
  closed: '已办结',
};

/**
 * The ledger's label of a ticket's status: a ticket closed because it was not accepted (不予受理,
 * RULES §1) reads so, not "已办结".
 */
export function ledgerStatusLabel(status: TicketStatus, disposition?: { type?: string } | null): string {
  return status === 'closed' && disposition?.type === 'not_accepted'
    ? '不予受理'
    : TICKET_STATUS_LABELS[status];
}

/** Where the ticket stands for one unit on it (its assignment), as its clerk reads it on the desk. */
export const ASSIGNMENT_STATUS_LABELS: Record<AssignmentStatus, string> = {
  dispatched: '待签收',
  signed: '办理中',
  returned: '已退回待审核',
  replied: '已答复',
  rectifying: '核实整改中',
  closed: '已办结',
  withdrawn: '已改由其他单位办理',
};

export const VERDICT_LABELS: Record<Verdict, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

export const EXCLUSION_REASON_LABELS: Record<ExclusionReason, string> = {
  outside_jurisdiction: '不属于本市行政区域管辖',
  other_legal_channel: '已进入或依法应通过信访、仲裁、行政复议、诉讼等途径解决',
  secrets_or_privacy: '涉及国家秘密、商业秘密或个人隐私',
  abusive_or_unfounded: '恶意辱骂诽谤、内容不清或无政策法规依据',
  // The citizen reads it in the SMS: one in an emergency is told where to call, at once.
  emergency_service: '属于110、119、120、水上搜救等紧急救助事项，情况紧急请立即拨打110、119、120',
  other_excluded: '不属于12345热线受理范围',
};

export const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  direct_reply: '直接答复时限',
  dispatch: '派单时限',
  sign: '签收时限',
  complete: '办理时限',
  review: '答复审核时限',
  callback_sms: '短信回访等待时限',
  callback_manual: '人工回访时限',
  acceptance_notice: '受理告知时限',
};

export const ROLE_LABELS: Record<Role, string> = {
  operator: '话务员',
  unit_clerk: '承办单位经办人',
  reviewer: '审核员',
  supervisor: '督办员',
  evaluator: '专业评价员',
  admin: '系统管理员',
  auditor: '个人信息审计员',
  forum: '论坛（寒山闻钟）接口账号',
};
