import { APPEAL_KIND_LABELS, EXCLUSION_REASON_LABELS, VERDICT_LABELS } from '../domain/glossary';
import type { AppealKind, ExclusionReason, TicketStatus, Verdict } from '../domain/vocabulary';

/**
 * What a citizen sees of their ticket when they look it up by its number and query code (RULES
 * §1, GS 效能投诉): where it stands, the steps it went through, and the result once the centre
 * has approved it. Built from the ticket's standing events; never the complainant's data, the
 * units' internal exchanges (returns, refused replies, reminders, deadlines) or a reply the
 * centre has not approved. Chinese: the citizen reads it.
 */
export const CITIZEN_STAGES = ['accepted', 'handling', 'answered', 'closed', 'not_accepted'] as const;
export type CitizenStage = (typeof CITIZEN_STAGES)[number];

export const CITIZEN_STAGE_LABELS: Record<CitizenStage, string> = {
  accepted: '已受理',
  handling: '办理中',
  answered: '已答复，回访中',
  closed: '已办结',
  not_accepted: '不予受理',
};

const STAGE_OF: Record<TicketStatus, CitizenStage> = {
  created: 'accepted',
  dispatched: 'handling',
  returned: 'handling',
  signed: 'handling',
  replied: 'handling',
  rectifying: 'handling',
  callback: 'answered',
  closed: 'closed',
};

export interface CitizenEvent {
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
}

export interface CitizenView {
  ticketNo: string;
  registryNo: string | null;
  kind: string;
  kindLabel: string;
  title: string;
  createdAt: string;
  stage: CitizenStage;
  stageLabel: string;
  /** The unit handling it now (the lead), by name; null before dispatch or when none. */
  handlingUnit: string | null;
  steps: { at: string; text: string }[];
  /** The answer the citizen gets: the approved reply, the direct answer, or why it was not accepted. */
  result: { at: string; text: string; guidance: string | null } | null;
  closedAt: string | null;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');

export function citizenView(
  ticket: {
    ticketNo: string;
    registryNo: string | null;
    kind: string;
    title: string;
    createdAt: string;
    status: TicketStatus;
  },
  events: readonly CitizenEvent[],
  /** Whether the complainant's number takes an SMS (takesSms): otherwise none was sent. */
  opts: { smsReachable: boolean } = { smsReachable: true },
): CitizenView {
  const names = new Map<string, string>();
  const nameOf = (id: unknown) => names.get(s(id)) ?? '承办单位';
  let lead: string | null = null;
  let handlingUnit: string | null = null;
  /** The replies awaiting the centre's review, by unit: only an approved one reaches the citizen. */
  const pending = new Map<string, string>();
  const steps: CitizenView['steps'] = [];
  let result: CitizenView['result'] = null;
  let closedAt: string | null = null;
  const step = (at: string, text: string) => steps.push({ at, text });
  // Registered, but not accepted (不予受理): never told it was accepted.
  const notAccepted = events.some((e) => e.type === 'ticket.not_accepted');

  for (const e of events) {
    const d = e.data;
    switch (e.type) {
      case 'ticket.created':
        step(e.occurredAt, notAccepted ? '诉求已登记' : '诉求已登记受理');
        break;
      case 'ticket.not_accepted': {
        const reason = EXCLUSION_REASON_LABELS[d.reason as ExclusionReason] ?? '不属于受理范围';
        step(e.occurredAt, `不予受理：${reason}`);
        result = { at: e.occurredAt, text: `不予受理：${reason}`, guidance: s(d.guidance) || null };
        break;
      }
      case 'ticket.answered_directly':
        step(e.occurredAt, '已直接答复');
        result = { at: e.occurredAt, text: s(d.answer), guidance: null };
        break;
      case 'ticket.three_way_call_held':
        step(e.occurredAt, `已通过三方通话由${s(d.unitName)}答复`);
        result = { at: e.occurredAt, text: s(d.summary), guidance: null };
        break;
      case 'ticket.transferred_to_special_line':
        step(e.occurredAt, `已转接${s(d.unitName)}专线（${s(d.line)}）答复`);
        result = { at: e.occurredAt, text: s(d.summary), guidance: null };
        break;
      case 'ticket.special_window_linked':
        step(e.occurredAt, `已联动${s(d.unitName)}专窗（${s(d.window)}）办理`);
        result = { at: e.occurredAt, text: s(d.summary), guidance: null };
        break;
      case 'ticket.dispatched':
        names.set(s(d.unitId), s(d.unitName));
        lead = s(d.unitId);
        handlingUnit = s(d.unitName);
        step(e.occurredAt, `已转${s(d.unitName)}办理`);
        break;
      // The centre's reason is between it and the units; the citizen sees that it coordinated.
      case 'ticket.coordinated':
        step(
          e.occurredAt,
          d.level === 'leadership_group' ? '经领导小组协调，确定牵头单位' : '经热线中心协调，确定牵头单位',
        );
        break;
      case 'ticket.assistance_dispatched':
        names.set(s(d.unitId), s(d.unitName));
        step(e.occurredAt, `${s(d.unitName)}协助办理`);
        break;
      case 'ticket.signed':
        step(e.occurredAt, `${nameOf(d.unitId)}已签收`);
        break;
      case 'ticket.extension_decided':
        if (d.approved === true) step(e.occurredAt, '经批准延长办理期限');
        break;
      case 'ticket.progress_noted':
        step(e.occurredAt, `办理进度（${nameOf(d.unitId)}）：${s(d.content)}`);
        break;
      case 'ticket.replied':
        pending.set(s(d.unitId), s(d.content));
        break;
      case 'ticket.reply_reviewed':
        if (d.approved === true && pending.has(s(d.unitId))) {
          step(e.occurredAt, `${nameOf(d.unitId)}已答复`);
          result = { at: e.occurredAt, text: pending.get(s(d.unitId))!, guidance: null };
        }
        pending.delete(s(d.unitId));
        break;
      case 'ticket.callback_requested':
        step(
          e.occurredAt,
          d.mode === 'manual'
            ? '转人工电话回访'
            : opts.smsReachable
              ? '已发送满意度回访短信'
              : '进入满意度回访',
        );
        break;
      case 'ticket.callback_answered':
        if (typeof d.verdict === 'string')
          step(e.occurredAt, `回访评价：${VERDICT_LABELS[d.verdict as Verdict] ?? d.verdict}`);
        break;
      case 'ticket.rectification_ordered':
        step(e.occurredAt, '回访反映问题未解决，已要求承办单位核实整改');
        break;
      case 'ticket.closed':
        closedAt = e.occurredAt;
        step(e.occurredAt, '工单已办结');
        break;
      default:
        break;
    }
  }
  const stage: CitizenStage = notAccepted ? 'not_accepted' : STAGE_OF[ticket.status];
  return {
    ticketNo: ticket.ticketNo,
    registryNo: ticket.registryNo,
    kind: ticket.kind,
    kindLabel: APPEAL_KIND_LABELS[ticket.kind as AppealKind] ?? ticket.kind,
    title: ticket.title,
    createdAt: ticket.createdAt,
    stage,
    stageLabel: CITIZEN_STAGE_LABELS[stage],
    handlingUnit: lead === null ? null : handlingUnit,
    steps,
    result,
    closedAt,
  };
}
