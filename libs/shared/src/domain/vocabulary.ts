/**
 * The platform's closed vocabularies. One name for one thing: these are the glossary's English
 * terms; the Chinese labels a citizen or clerk reads live in glossary.ts.
 */
export const CHANNELS = [
  'phone',
  'web',
  'wechat',
  'sms',
  'email',
  'app',
  'visit',
  'letter',
  'leader_mailbox',
  'forum',
  'upper_platform',
] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * Which leader mailbox or upper platform a ticket came through (RULES §1: 省委书记/省长/市委书记/
 * 市长/区领导/局长信箱, 政风行风热线; 国务院"互联网+督查", 国家政务服务平台, 省12345, 好差评). The
 * policy may hold them apart (SZ: the acceptance notice is for provincial and city leaders' mailboxes).
 * Other channels have none.
 */
export const CHANNEL_DETAILS = {
  leader_mailbox: [
    'provincial_secretary',
    'governor',
    'city_secretary',
    'mayor',
    'district_leader',
    'bureau_chief',
    'conduct_hotline',
  ],
  upper_platform: [
    'state_council_supervision',
    'national_service_platform',
    'provincial_12345',
    'service_review',
  ],
} as const satisfies Partial<Record<Channel, readonly string[]>>;
export type ChannelDetail = (typeof CHANNEL_DETAILS)[keyof typeof CHANNEL_DETAILS][number];
export const ALL_CHANNEL_DETAILS: readonly ChannelDetail[] = Object.values(CHANNEL_DETAILS).flat();

/**
 * Who designated the lead unit in a coordination (协调, RULES §2): the hotline centre, or, where the
 * centre's coordination failed, the leadership group (领导小组; SZ coordination rules art. 3–4, SQ
 * art. 20), whose decision the centre records.
 */
export const COORDINATION_LEVELS = ['centre', 'leadership_group'] as const;
export type CoordinationLevel = (typeof COORDINATION_LEVELS)[number];

/** What is wrong with a channel's detail, or null: one of its channel's, or none where it has none. */
export function channelDetailProblem(channel: Channel, detail: string | null | undefined): string | null {
  const allowed: readonly string[] =
    (CHANNEL_DETAILS as Partial<Record<Channel, readonly string[]>>)[channel] ?? [];
  if (detail === null || detail === undefined) return null;
  if (allowed.length === 0) return `channel ${channel} has no channelDetail`;
  if (!allowed.includes(detail)) return `channelDetail of ${channel} must be one of ${allowed.join('|')}`;
  return null;
}

export const APPEAL_KINDS = [
  'consultation',
  'help_request',
  'complaint',
  'report',
  'suggestion',
  'praise',
  'other',
] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];

/**
 * A complaint or report about officials, classed by its nature (GS): efficiency (效能投诉),
 * conduct (纠风), integrity (廉政举报). Each goes to the body for that nature.
 */
export const COMPLAINT_NATURES = ['efficiency', 'conduct', 'integrity'] as const;
export type ComplaintNature = (typeof COMPLAINT_NATURES)[number];

/** Where a ticket stands. Order matters only for display. */
export const TICKET_STATUSES = [
  'created', // registered, not yet with a unit (routing, or waiting for the centre to dispatch by hand)
  'dispatched', // with a unit, not signed
  'returned', // the unit returned it; the centre reviews the return
  'signed', // the unit is handling it
  'replied', // the unit replied; the centre reviews the reply
  'callback', // the citizen is asked whether they are satisfied
  'rectifying', // unsatisfied at the manual callback: the unit verifies and rectifies
  'closed',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** The citizen's verdict at a callback, or none. */
export const VERDICTS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;

/** How the citizen is asked at the callback: SMS first, then an operator's call. */
export const CALLBACK_MODES = ['sms', 'manual'] as const;
export type CallbackMode = (typeof CALLBACK_MODES)[number];
export type Verdict = (typeof VERDICTS)[number];

/** Scope exclusions at intake (不予受理, SQ art. 7). */
export const EXCLUSION_REASONS = [
  'outside_jurisdiction',
  'other_legal_channel',
  'secrets_or_privacy',
  'abusive_or_unfounded',
  'emergency_service',
  'other_excluded',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

/** The deadlines a ticket is held to; each has reminders before and an overdue event at its end. */
export const DEADLINE_KINDS = [
  'direct_reply',
  'dispatch',
  'sign',
  'complete',
  'review',
  'callback_sms',
  'callback_manual',
  'acceptance_notice',
] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

/**
 * The deadlines a unit is held to: signing and replying (PA "timely sign and reply"). The others
 * are the centre's own (dispatching, answering at intake, reviewing, calling back, the acceptance
 * notice): missing them is no unit's fault.
 */
export const UNIT_DEADLINES = ['sign', 'complete'] as const satisfies readonly DeadlineKind[];

export function isUnitDeadline(k: DeadlineKind): k is (typeof UNIT_DEADLINES)[number] {
  return (UNIT_DEADLINES as readonly DeadlineKind[]).includes(k);
}

export const ROLES = [
  'operator',
  'unit_clerk',
  'reviewer',
  'supervisor',
  'evaluator',
  'admin',
  'auditor',
  'forum',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles of the hotline centre: they see every ticket, the complainant's data masked (they may
 * reveal it, logged: `security/personal-data.ts`). The auditor is not one: it reads the access log only.
 */
export const CENTRE_ROLES: readonly Role[] = ['operator', 'reviewer', 'supervisor', 'admin'];

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
