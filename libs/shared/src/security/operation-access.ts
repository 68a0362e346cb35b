import { CENTRE_ROLES, ROLES } from '../domain/vocabulary';
import type { Role } from '../domain/vocabulary';

/**
 * Who may call each HTTP operation of the platform: the declared access table (OWASP API1, API3,
 * API5). It is written here by hand, apart from the controllers' @Roles metadata, so that the
 * authorisation matrix test (test/security/authorization-matrix.integration-spec.ts) can hold the
 * controllers to it: every operation in a service's OpenAPI document must have an entry here, and
 * every entry must still exist.
 *
 * To declare a new endpoint: add one line `'<service> <METHOD> <OpenAPI path>': { roles, ticket }`.
 */
export const SERVICES = ['intake', 'dispatch', 'evaluation', 'supervision'] as const;
export type ServiceName = (typeof SERVICES)[number];

/**
 * How the ticket in the path scopes the answer for a caller whose role is allowed:
 * - `centre`: any ticket (the centre's roles); an unknown ticket is 404;
 * - `unit_read`: a unit clerk reads its own tickets (full) and the ones it was withdrawn from (its
 *   own record only, see ticket-access.ts); another unit's ticket is 404, never 403;
 * - `expert_case`: the ticket's expert case (专业评价); an evaluator reaches only the cases assigned
 *   to them, the centre any; a ticket without a case (or not the evaluator's) is 404;
 * - `unit_act`: a unit clerk acts only on a ticket that is its own now; another unit's ticket and
 *   one it was withdrawn from are 404.
 * - `tracked_plan`: the closed ticket's tracked plan; a unit clerk reaches only its unit's, the
 *   centre any; a ticket without one (or not the clerk's unit's) is 404.
 */
export type TicketScope = 'centre' | 'unit_read' | 'unit_act' | 'evaluation_record' | 'tracked_plan';

export interface OperationRule {
  /** `public`: no token needed. Otherwise the roles allowed; every other role gets 403. */
  roles: 'public' | readonly Role[];
  /** Set when the path names a ticket (`{ticketNo}`). */
  ticket?: TicketScope;
}

const ADMIN: readonly Role[] = ['admin'];
const OPERATOR: readonly Role[] = ['operator', 'admin'];
const DECIDERS: readonly Role[] = ['reviewer', 'supervisor', 'admin'];
const CLERK: readonly Role[] = ['unit_clerk'];
const SUPERVISORS: readonly Role[] = ['supervisor', 'admin'];
const WATCHERS: readonly Role[] = ['supervisor', 'reviewer', 'admin'];

export const OPERATION_ACCESS: Readonly<Record<string, OperationRule>> = {
  // every service
  'intake GET /health': { roles: 'public' },
  'dispatch GET /health': { roles: 'public' },
  'evaluation GET /health': { roles: 'public' },
  'supervision GET /health': { roles: 'public' },

  // intake: login, the ledger and the centre's decisions
  'intake POST /api/v1/auth/login': { roles: 'public' },
  'intake POST /api/v1/auth/password': { roles: ROLES },
  // a citizen's look-up of their ticket by its number and query code (throttled like the login)
  'intake POST /api/v1/public/ticket-lookup': { roles: 'public' },
  'intake POST /api/v1/public/ticket-evaluation': { roles: 'public' },
  'intake POST /api/v1/tickets': { roles: OPERATOR },
  'intake GET /api/v1/tickets': { roles: CENTRE_ROLES },
  'intake POST /api/v1/tickets/search': { roles: CENTRE_ROLES },
  'intake GET /api/v1/catalog-applications': { roles: DECIDERS },
  'intake POST /api/v1/catalog-applications/{applicationId}/decision': { roles: DECIDERS },
  'intake GET /api/v1/catalog-entries': { roles: CENTRE_ROLES },
  'intake POST /api/v1/catalog-entries': { roles: DECIDERS },
  'intake GET /api/v1/knowledge': { roles: CENTRE_ROLES },
  'intake GET /api/v1/tickets/{ticketNo}': { roles: CENTRE_ROLES, ticket: 'centre' },
  'intake POST /api/v1/tickets/{ticketNo}/dispatch': { roles: OPERATOR, ticket: 'centre' },
  // the files on a ticket's record (RULES §8): the centre adds and reads every one
  'intake POST /api/v1/tickets/{ticketNo}/attachments': { roles: CENTRE_ROLES, ticket: 'centre' },
  'intake GET /api/v1/tickets/{ticketNo}/attachments': { roles: CENTRE_ROLES, ticket: 'centre' },
  'intake GET /api/v1/tickets/{ticketNo}/attachments/{attachmentId}': {
    roles: CENTRE_ROLES,
    ticket: 'centre',
  },
  'intake POST /api/v1/tickets/{ticketNo}/attachments/{attachmentId}/withdrawal': {
    roles: CENTRE_ROLES,
    ticket: 'centre',
  },
  'intake POST /api/v1/tickets/{ticketNo}/answer': { roles: OPERATOR, ticket: 'centre' },
  'intake POST /api/v1/tickets/{ticketNo}/acceptance-notice': {
    roles: ['operator', 'reviewer', 'admin'],
    ticket: 'centre',
  },
  'intake POST /api/v1/tickets/{ticketNo}/review': { roles: DECIDERS, ticket: 'centre' },
  'intake POST /api/v1/tickets/{ticketNo}/return-decision': { roles: DECIDERS, ticket: 'centre' },
  'intake POST /api/v1/tickets/{ticketNo}/coordination': { roles: DECIDERS, ticket: 'centre' },
  'intake POST /api/v1/tickets/{ticketNo}/extension-decision': { roles: DECIDERS, ticket: 'centre' },

  // intake: the yearly archive (RULES §8): the administrator seals a year; the auditor checks it too
  'intake POST /api/v1/archives': { roles: ADMIN },
  'intake GET /api/v1/archives': { roles: ['admin', 'auditor'] },
  'intake GET /api/v1/archives/{year}': { roles: ['admin', 'auditor'] },
  'intake GET /api/v1/archives/{year}/entries': { roles: ['admin', 'auditor'] },
  'intake GET /api/v1/archives/{year}/verification': { roles: ['admin', 'auditor'] },
  'intake GET /api/v1/archives/{year}/export': { roles: ADMIN },
  'intake POST /api/v1/archives/{year}/amendments': { roles: ADMIN },
  'intake GET /api/v1/archives/{year}/amendments': { roles: ['admin', 'auditor'] },

  // intake: administration
  'intake GET /api/v1/admin/policy-sets': { roles: ADMIN },
  'intake GET /api/v1/admin/policy-sets/{code}': { roles: ADMIN },
  'intake POST /api/v1/admin/policy-sets': { roles: ADMIN },
  'intake PUT /api/v1/admin/active-policy-set': { roles: ADMIN },
  'intake GET /api/v1/admin/calendars/{id}/days': { roles: ADMIN },
  'intake PUT /api/v1/admin/calendars/{id}/days/{day}': { roles: ADMIN },
  'intake POST /api/v1/admin/tickets/{ticketNo}/reapply-policy': { roles: ADMIN, ticket: 'centre' },
  'intake POST /api/v1/admin/users': { roles: ADMIN },
  'intake GET /api/v1/admin/users': { roles: ADMIN },
  'intake GET /api/v1/admin/users/{username}': { roles: ADMIN },
  'intake PUT /api/v1/admin/users/{username}/password': { roles: ADMIN },
  'intake POST /api/v1/admin/users/{username}/deactivate': { roles: ADMIN },
  'intake POST /api/v1/admin/users/{username}/activate': { roles: ADMIN },
  'intake POST /api/v1/admin/users/{username}/revoke-tokens': { roles: ADMIN },
  'intake DELETE /api/v1/admin/users/{username}/lockout': { roles: ADMIN },
  // unit leaders (单位领导) and whether a unit's leader reviews in person
  'intake PUT /api/v1/admin/users/{username}/unit-leader': { roles: ADMIN },
  'intake PUT /api/v1/admin/units/{unitId}/leader-review': { roles: ADMIN },
  'intake GET /api/v1/admin/units/{unitId}/service-promises': { roles: ADMIN },
  'intake PUT /api/v1/admin/units/{unitId}/service-promises': { roles: ADMIN },

  // intake: the complainant's personal data (revealed with a reason, every access logged)
  'intake POST /api/v1/tickets/{ticketNo}/complainant/reveal': {
    roles: ['operator', 'reviewer', 'supervisor', 'admin'],
    ticket: 'centre',
  },
  'intake GET /api/v1/audit/personal-data-access': { roles: ['auditor'] },
  // the administrator's trail: every change to accounts and configuration
  'intake GET /api/v1/audit/admin-actions': { roles: ['auditor', 'admin'] },

  // dispatch: a unit's desk
  'dispatch GET /api/v1/tickets': { roles: CLERK },
  'dispatch GET /api/v1/tickets/summary': { roles: CLERK },
  'dispatch GET /api/v1/tickets/{ticketNo}': { roles: CLERK, ticket: 'unit_read' },
  // a unit's files on its ticket, and the ones it may see (maySeeAttachment)
  'dispatch POST /api/v1/tickets/{ticketNo}/attachments': { roles: CLERK, ticket: 'unit_act' },
  'dispatch GET /api/v1/tickets/{ticketNo}/attachments': { roles: CLERK, ticket: 'unit_act' },
  'dispatch GET /api/v1/tickets/{ticketNo}/attachments/{attachmentId}': { roles: CLERK, ticket: 'unit_act' },
  // a wrong upload taken back (it stays on the record, the centre's only): a unit its own files
  'dispatch POST /api/v1/tickets/{ticketNo}/attachments/{attachmentId}/withdrawal': {
    roles: CLERK,
    ticket: 'unit_act',
  },
  'dispatch POST /api/v1/tickets/{ticketNo}/sign': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/reply': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/progress-notes': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/return': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/extension': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/sub-dispatch': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/sub-recall': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/sub-decline': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/sub-reply': { roles: CLERK, ticket: 'unit_act' },
  'dispatch POST /api/v1/tickets/{ticketNo}/sub-review': { roles: CLERK, ticket: 'unit_act' },
  'dispatch GET /api/v1/sub-units': { roles: CLERK },
  'dispatch POST /api/v1/catalog-applications': { roles: CLERK },
  'dispatch GET /api/v1/catalog-applications': { roles: CLERK },
  'dispatch GET /api/v1/catalog-entries': { roles: CLERK },
  'dispatch POST /api/v1/knowledge': { roles: CLERK },
  'dispatch GET /api/v1/knowledge': { roles: CLERK },
  'dispatch POST /api/v1/knowledge/{versionId}/review': { roles: CLERK },
  'dispatch POST /api/v1/knowledge/entries/{entryId}/withdrawal': { roles: CLERK },

  // evaluation
  'evaluation POST /api/v1/callbacks/{ticketNo}/sms': { roles: OPERATOR, ticket: 'centre' },
  'evaluation POST /api/v1/callbacks/{ticketNo}/manual': { roles: OPERATOR, ticket: 'centre' },
  'evaluation GET /api/v1/closed-tickets': { roles: DECIDERS },
  'evaluation GET /api/v1/expert-cases': { roles: ['evaluator', ...DECIDERS] },
  'evaluation GET /api/v1/expert-cases/{ticketNo}': {
    roles: ['evaluator', ...DECIDERS],
    ticket: 'evaluation_record',
  },
  'evaluation POST /api/v1/expert-cases/{ticketNo}/verdict': {
    roles: ['evaluator'],
    ticket: 'evaluation_record',
  },
  'evaluation POST /api/v1/expert-cases/{ticketNo}/return': {
    roles: ['evaluator'],
    ticket: 'evaluation_record',
  },
  'evaluation POST /api/v1/expert-cases/{ticketNo}/objections': {
    roles: DECIDERS,
    ticket: 'evaluation_record',
  },
  'evaluation GET /api/v1/callback-tasks': { roles: OPERATOR },
  'evaluation GET /api/v1/callback-tasks/{taskId}': { roles: OPERATOR },
  'evaluation POST /api/v1/callback-tasks/{taskId}/claim': { roles: OPERATOR },
  'evaluation POST /api/v1/callback-tasks/{taskId}/release': { roles: OPERATOR },
  'evaluation POST /api/v1/callback-tasks/{taskId}/attempts': { roles: OPERATOR },
  'evaluation POST /api/v1/callback-tasks/{taskId}/verdict': { roles: OPERATOR },
  'evaluation POST /api/v1/callback-tasks/{taskId}/unreachable': { roles: OPERATOR },
  'evaluation POST /api/v1/sms/inbound': { roles: 'public' },
  'evaluation PUT /api/v1/forum-posts/{ticketNo}': { roles: ['forum', 'admin'], ticket: 'centre' },
  'evaluation POST /api/v1/votes/{ticketNo}': { roles: ['forum'], ticket: 'evaluation_record' },
  'evaluation GET /api/v1/votes/{ticketNo}': {
    roles: ['forum', ...OPERATOR, ...DECIDERS],
    ticket: 'evaluation_record',
  },
  'evaluation GET /api/v1/forum-staff-accounts': { roles: ADMIN },
  'evaluation POST /api/v1/forum-staff-accounts': { roles: ADMIN },
  'evaluation DELETE /api/v1/forum-staff-accounts/{accountId}': { roles: ADMIN },
  'evaluation POST /api/v1/reconsiderations': { roles: [...OPERATOR, ...DECIDERS] },
  'evaluation GET /api/v1/reconsiderations': { roles: [...OPERATOR, ...DECIDERS] },
  'evaluation GET /api/v1/reconsiderations/{ticketNo}': {
    roles: [...OPERATOR, ...DECIDERS],
    ticket: 'evaluation_record',
  },
  'evaluation POST /api/v1/reconsiderations/{ticketNo}/decision': {
    roles: DECIDERS,
    ticket: 'evaluation_record',
  },
  'evaluation GET /api/v1/satisfaction': { roles: [...DECIDERS, 'unit_clerk'] },
  'evaluation GET /api/v1/satisfaction/tickets': { roles: [...DECIDERS, 'unit_clerk'] },
  'evaluation GET /api/v1/sms/local/messages': { roles: OPERATOR },
  'evaluation POST /api/v1/sms/local/messages/{messageId}/reply': { roles: OPERATOR },
  'evaluation GET /api/v1/expert-evaluators': { roles: ADMIN },
  'evaluation POST /api/v1/expert-evaluators': { roles: ADMIN },
  'evaluation PUT /api/v1/expert-evaluators/me/availability': { roles: ['evaluator'] },
  'evaluation PATCH /api/v1/expert-evaluators/{evaluatorId}': { roles: ADMIN },

  // supervision
  'supervision GET /api/v1/tickets/{ticketNo}/facts': {
    roles: ['supervisor', 'reviewer', 'admin'],
    ticket: 'centre',
  },
  'supervision GET /api/v1/units/overview': { roles: ['supervisor', 'reviewer', 'admin'] },
  // supervision: reminders and orders (a unit's clerk reaches only its unit's: another's is 404)
  'supervision POST /api/v1/orders': { roles: SUPERVISORS },
  'supervision GET /api/v1/orders': { roles: [...WATCHERS, ...CLERK] },
  'supervision GET /api/v1/orders/quota': { roles: WATCHERS },
  'supervision GET /api/v1/orders/{orderId}': { roles: [...WATCHERS, ...CLERK] },
  'supervision POST /api/v1/orders/{orderId}/answer': { roles: CLERK },
  'supervision POST /api/v1/orders/{orderId}/review': { roles: SUPERVISORS },
  'supervision POST /api/v1/orders/{orderId}/withdraw': { roles: SUPERVISORS },
  // supervision: tracked plans (a closed ticket's accepted plan; a unit's clerk reaches only its unit's)
  'supervision GET /api/v1/plans': { roles: [...WATCHERS, ...CLERK] },
  'supervision GET /api/v1/plans/{ticketNo}': { roles: [...WATCHERS, ...CLERK], ticket: 'tracked_plan' },
  'supervision POST /api/v1/plans/{ticketNo}/completion': { roles: CLERK, ticket: 'tracked_plan' },
  // supervision: the assessment, leader instructions (read by the unit too, every reading traced), escalation
  'supervision GET /api/v1/assessments': { roles: WATCHERS },
  'supervision GET /api/v1/assessments/units/{unitId}': { roles: [...WATCHERS, ...CLERK] },
  'supervision PUT /api/v1/assessments/manual-scores': { roles: SUPERVISORS },
  'supervision GET /api/v1/assessments/bonuses': { roles: WATCHERS },
  'supervision POST /api/v1/assessments/bonuses': { roles: SUPERVISORS },
  'supervision POST /api/v1/assessments/attitude-complaints': { roles: SUPERVISORS },
  'supervision POST /api/v1/assessments/publications': { roles: SUPERVISORS },
  'supervision GET /api/v1/assessments/publications/{period}': { roles: [...WATCHERS, ...CLERK] },
  'supervision POST /api/v1/instructions': { roles: SUPERVISORS },
  'supervision GET /api/v1/instructions': { roles: [...WATCHERS, ...CLERK] },
  'supervision GET /api/v1/instructions/{instructionId}': { roles: [...WATCHERS, ...CLERK] },
  'supervision GET /api/v1/units/{unitId}/escalation-grounds': { roles: WATCHERS },
  'supervision POST /api/v1/escalations': { roles: SUPERVISORS },
  'supervision GET /api/v1/escalations': { roles: WATCHERS },
  // supervision: analysis and reports
  'supervision GET /api/v1/analysis/hot-spots': { roles: WATCHERS },
  'supervision GET /api/v1/analysis/events': { roles: WATCHERS },
  'supervision GET /api/v1/reports/{kind}': { roles: WATCHERS },
  // supervision: key tasks (a unit's clerk reaches those its unit leads or assists) and test calls
  'supervision POST /api/v1/key-tasks': { roles: SUPERVISORS },
  'supervision GET /api/v1/key-tasks': { roles: [...WATCHERS, ...CLERK] },
  'supervision GET /api/v1/key-tasks/{taskId}': { roles: [...WATCHERS, ...CLERK] },
  'supervision POST /api/v1/key-tasks/{taskId}/indicators/{indicatorId}/reports': { roles: CLERK },
  'supervision POST /api/v1/key-tasks/{taskId}/indicators/{indicatorId}/review': { roles: SUPERVISORS },
  'supervision POST /api/v1/test-calls': { roles: SUPERVISORS },
  'supervision GET /api/v1/test-calls': { roles: SUPERVISORS },
};

export function operationKey(service: ServiceName, method: string, path: string): string {
  return `${service} ${method.toUpperCase()} ${path}`;
}

/** Is `role` (or an anonymous caller, `null`) allowed by the rule, before any ticket scope? */
export function roleAllowed(rule: OperationRule, role: Role | null): boolean {
  if (rule.roles === 'public') return true;
  return role !== null && rule.roles.includes(role);
}
