/**
 * Stable error codes. Every error a client can see carries one of these in problem+json's `code`;
 * clients branch on the code, never on the text.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  /** A string with U+0000 or an unpaired UTF-16 surrogate: Postgres cannot store it. */
  invalid_text: 400,
  unknown_region: 400,
  unknown_category: 400,
  unknown_unit: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  forbidden: 403,
  /** The unit wants its leader to review in person (经领导审核): a leader's own account does it. */
  leader_review_required: 403,
  /** The current password given to change it is not the user's (counted like a failed login). */
  wrong_password: 400,
  not_found: 404,
  ticket_not_found: 404,
  /** An expert case that is not the caller's (or none): evaluators see only their own. */
  expert_case_not_found: 404,
  conflict: 409,
  action_rejected: 409,
  ticket_not_signable: 409,
  ticket_not_repliable: 409,
  /** The action is for a ticket the unit has signed (an extension, a progress note). */
  ticket_not_signed: 409,
  ticket_closed: 409,
  /** The hub passed the ticket to a sub-unit: its result, reviewed by the hub's leader, is the reply. */
  sub_dispatch_open: 409,
  return_window_closed: 409,
  extension_too_late: 409,
  extension_over_cap: 409,
  /** Another extension request of the unit awaits the centre's decision. */
  extension_pending: 409,
  reply_not_closable: 422,
  /** The Idempotency-Key was used by the caller for another request (another body) to the operation. */
  idempotency_key_reused: 422,
  /** Another operator holds the callback task. */
  task_claimed: 409,
  /** The caller does not hold the callback task (claim it first). */
  task_not_claimed: 409,
  /** The callback task is done. */
  task_done: 409,
  /** Public votes (SZ 寒山闻钟). */
  vote_window_closed: 409,
  vote_window_not_open: 409,
  /** A citizen's online evaluation: the ticket is not waiting for the citizen's answer to the callback SMS. */
  evaluation_not_open: 409,
  already_voted: 409,
  vote_change_used: 409,
  staff_cannot_vote: 403,
  /** The expert's verdict is recorded and final. */
  expert_case_closed: 409,
  /** The expert case was withdrawn: the request that opened it was voided by a correction. */
  expert_case_withdrawn: 409,
  /** Supervision orders (督办): not the caller's unit's (or none), answered, closed. */
  order_not_found: 404,
  order_not_open: 409,
  order_not_answered: 409,
  order_closed: 409,
  /** An escalation measure without its grounds (SQ art. 21). */
  escalation_not_open: 409,
  /** The centre coordinated the ticket as often as it may: a further designation is the leadership group's. */
  coordination_escalation_required: 409,
  method_not_allowed: 405,
  request_timeout: 408,
  /** The ticket's record holds as many files (or bytes) as it may (RULES §8 attachments). */
  attachment_limit_reached: 409,
  /** The record holds these very bytes from the same party already, named or described otherwise. */
  attachment_exists: 409,
  /** One matter, one process: the catalog has an active entry for this category and region already. */
  catalog_matter_exists: 409,
  /** A year is sealed into the archive once it is over (China time). */
  archive_year_open: 409,
  /** A sealed record is amended (补充归档) only once it has changed since its seal. */
  archive_record_unchanged: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  dependency_unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export function isErrorCode(v: unknown): v is ErrorCode {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, v);
}

/** A domain rule said no. Carries a stable code; adapters turn it into HTTP or a workflow failure. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
