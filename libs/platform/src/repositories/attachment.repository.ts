import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { attachmentUploadProblem, defaultSharedWithUnits, isUuid, mediaTypeOf } from '@hotline/shared';
import type {
  AttachmentKind,
  AttachmentProblem,
  AttachmentType,
  AttachmentWithdrawal,
  Role,
} from '@hotline/shared';

/** A file on a ticket's record, without its bytes. */
export interface AttachmentRow {
  attachmentId: string;
  ticketNo: string;
  name: string;
  kind: AttachmentKind;
  contentType: AttachmentType;
  sizeBytes: number;
  sha256: string;
  /** The unit that added it; null: the centre. */
  unitId: string | null;
  /** For a file of the centre's: whether the units on the ticket see it. */
  sharedWithUnits: boolean;
  note: string;
  addedBy: string;
  addedByRole: Role;
  addedAt: string;
  /** Set once it was withdrawn as a wrong upload: it stays on the record, the centre's only. */
  withdrawal: AttachmentWithdrawal | null;
}

export interface NewAttachment {
  ticketNo: string;
  name: string;
  kind: AttachmentKind;
  declaredType: string;
  bytes: Buffer;
  unitId: string | null;
  /** null: as the rule says for the ticket (defaultSharedWithUnits). */
  sharedWithUnits: boolean | null;
  note: string;
  addedBy: string;
  addedByRole: Role;
}

export type AddedAttachment =
  | { outcome: 'added' | 'already'; attachment: AttachmentRow }
  /** The same bytes from the same party are on the record already, named or described otherwise. */
  | { outcome: 'differs'; attachment: AttachmentRow; fields: string[] }
  | { outcome: 'refused'; problem: AttachmentProblem }
  | { outcome: 'no_ticket' };

export type WithdrawnAttachment =
  { outcome: 'withdrawn' | 'already'; attachment: AttachmentRow } | { outcome: 'no_file' };

/** A file's columns as a fresh insert returns them: no withdrawal yet. */
const INSERTED = `id::text AS "attachmentId", ticket_no AS "ticketNo", name, kind, content_type AS "contentType",
  size_bytes AS "sizeBytes", sha256, unit_id AS "unitId", shared_with_units AS "sharedWithUnits", note,
  added_by AS "addedBy", added_by_role AS "addedByRole", added_at AS "addedAt", NULL::json AS withdrawal`;
/** A file with its withdrawal, if any (FROM ${ATTACHMENTS}). */
const COLUMNS = `a.id::text AS "attachmentId", a.ticket_no AS "ticketNo", a.name, a.kind, a.content_type AS "contentType",
  a.size_bytes AS "sizeBytes", a.sha256, a.unit_id AS "unitId", a.shared_with_units AS "sharedWithUnits", a.note,
  a.added_by AS "addedBy", a.added_by_role AS "addedByRole", a.added_at AS "addedAt",
  CASE WHEN w.attachment_id IS NULL THEN NULL
       ELSE json_build_object('reason', w.reason, 'by', w.withdrawn_by, 'role', w.withdrawn_by_role, 'at', w.withdrawn_at)
  END AS withdrawal`;
const ATTACHMENTS = `records.attachments a LEFT JOIN records.attachment_withdrawals w ON w.attachment_id = a.id`;

/**
 * The files on tickets' records (records.attachments, append-only). One ticket's files are added
 * one at a time (a transaction-scoped lock on the ticket), so two uploads at once cannot both
 * pass the record's limits, and the same file sent again by the same party is the row it made,
 * unless that row was withdrawn: a file withdrawn by mistake is put back by sending it again, as a
 * new record beside the withdrawn one. Every file the record keeps counts toward its limits,
 * withdrawn or not: the bytes are kept, so an upload-and-withdraw loop cannot grow a ticket's
 * record without bound.
 */
export class AttachmentRepository {
  constructor(private readonly ds: DataSource) {}

  async add(a: NewAttachment): Promise<AddedAttachment> {
    const sha256 = createHash('sha256').update(a.bytes).digest('hex');
    return this.ds.transaction(async (m) => {
      const tickets: { confidential: boolean }[] = await m.query(
        `SELECT confidential FROM ticket.tickets WHERE ticket_no = $1`,
        [a.ticketNo],
      );
      if (tickets.length === 0) return { outcome: 'no_ticket' as const };
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('records.attachments:' || $1, 0))`, [
        a.ticketNo,
      ]);
      const same: AttachmentRow[] = await m.query(
        `SELECT ${COLUMNS} FROM ${ATTACHMENTS}
         WHERE a.ticket_no = $1 AND COALESCE(a.unit_id, '') = COALESCE($2, '') AND a.sha256 = $3
         ORDER BY a.added_at DESC, a.id`,
        [a.ticketNo, a.unitId, sha256],
      );
      const live = same.find((r) => r.withdrawal === null);
      if (live) {
        // A repeat is the row it made; the same bytes sent as another file (another name, kind, type,
        // note or sharing) are not: answering the first row would tell the sender its file was kept
        // as sent.
        const fields = differingFields(this.row(live), a);
        return fields.length === 0
          ? { outcome: 'already' as const, attachment: this.row(live) }
          : { outcome: 'differs' as const, attachment: this.row(live), fields };
      }
      // Every earlier copy withdrawn: this one puts back the latest (the others were put back).
      const putBackOf = same[0]?.attachmentId ?? null;
      const [usage] = await m.query(
        // The sender's own files on the record (the centre's, or this unit's): each has its room.
        `SELECT count(*)::int AS count, COALESCE(sum(size_bytes), 0)::bigint AS bytes
         FROM records.attachments WHERE ticket_no = $1 AND COALESCE(unit_id, '') = COALESCE($2, '')`,
        [a.ticketNo, a.unitId],
      );
      const problem = attachmentUploadProblem(
        { declaredType: a.declaredType, bytes: a.bytes },
        { count: usage.count, bytes: Number(usage.bytes) },
      );
      if (problem) return { outcome: 'refused' as const, problem };
      const shared =
        a.unitId !== null || (a.sharedWithUnits ?? defaultSharedWithUnits(tickets[0]!.confidential));
      const [row] = await m.query(
        `INSERT INTO records.attachments (id, ticket_no, name, kind, content_type, size_bytes, sha256, unit_id,
           shared_with_units, note, added_by, added_by_role, content, put_back_of)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14) RETURNING ${INSERTED}`,
        [
          randomUUID(),
          a.ticketNo,
          a.name,
          a.kind,
          // The type as the platform names it (`Application/PDF; x=y` is application/pdf): the type checked.
          mediaTypeOf(a.declaredType),
          a.bytes.length,
          sha256,
          a.unitId,
          shared,
          a.note,
          a.addedBy,
          a.addedByRole,
          a.bytes,
          putBackOf,
        ],
      );
      return { outcome: 'added' as const, attachment: this.row(row) };
    });
  }

  /** The ticket's files, in the order they were added. */
  async list(ticketNo: string): Promise<AttachmentRow[]> {
    const rows: AttachmentRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM ${ATTACHMENTS} WHERE a.ticket_no = $1 ORDER BY a.added_at, a.id`,
      [ticketNo],
    );
    return rows.map((r) => this.row(r));
  }

  /** Files by id (any ticket: the caller holds them to its ticket), for an action that cites them. */
  async byIds(ids: readonly string[]): Promise<AttachmentRow[]> {
    const valid = ids.filter((id) => isUuid(id));
    if (valid.length === 0) return [];
    const rows: AttachmentRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM ${ATTACHMENTS} WHERE a.id = ANY($1::uuid[])`,
      [valid],
    );
    return rows.map((r) => this.row(r));
  }

  /** One file of the ticket with its bytes; null when the ticket has no such file. */
  async withContent(ticketNo: string, id: string): Promise<{ row: AttachmentRow; content: Buffer } | null> {
    if (!isUuid(id)) return null;
    const rows: (AttachmentRow & { content: Buffer })[] = await this.ds.query(
      `SELECT ${COLUMNS}, a.content FROM ${ATTACHMENTS} WHERE a.ticket_no = $1 AND a.id = $2`,
      [ticketNo, id],
    );
    if (!rows[0]) return null;
    const { content, ...row } = rows[0];
    return { row: this.row(row), content };
  }

  /**
   * Withdraws a file of the ticket as a wrong upload (the caller has checked who may): the file
   * stays, its withdrawal is recorded once; withdrawing it again is that withdrawal.
   */
  async withdraw(
    ticketNo: string,
    id: string,
    w: { reason: string; by: string; role: Role },
  ): Promise<WithdrawnAttachment> {
    if (!isUuid(id)) return { outcome: 'no_file' };
    const inserted: unknown[] = await this.ds.query(
      `INSERT INTO records.attachment_withdrawals (attachment_id, reason, withdrawn_by, withdrawn_by_role)
       SELECT id, $3, $4, $5 FROM records.attachments WHERE ticket_no = $1 AND id = $2
       ON CONFLICT (attachment_id) DO NOTHING RETURNING attachment_id`,
      [ticketNo, id, w.reason, w.by, w.role],
    );
    const [row] = await this.withIds(ticketNo, [id]);
    if (!row) return { outcome: 'no_file' };
    return { outcome: inserted.length > 0 ? 'withdrawn' : 'already', attachment: row };
  }

  /**
   * The files withdrawn since a sub-unit's result awaiting its hub's review cited them (the latest
   * result sent up to the hub, not reviewed yet): approved, the hub's reply would cite them.
   */
  async withdrawnInPendingSubResult(ticketNo: string, hubUnitId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.ds.query(
      `WITH last AS (
         SELECT data, seq FROM ticket.ticket_events
         WHERE ticket_no = $1 AND voided_by IS NULL AND type = 'ticket.sub_replied' AND data->>'unitId' = $2
         ORDER BY seq DESC LIMIT 1)
       SELECT c->>'attachmentId' AS id
       FROM last, jsonb_array_elements(coalesce(last.data->'attachments', '[]'::jsonb)) c
       WHERE NOT EXISTS (
           SELECT 1 FROM ticket.ticket_events r
           WHERE r.ticket_no = $1 AND r.voided_by IS NULL AND r.type = 'ticket.sub_reply_reviewed'
             AND r.data->>'unitId' = $2 AND r.seq > last.seq)
         AND EXISTS (
           SELECT 1 FROM records.attachment_withdrawals w WHERE w.attachment_id::text = c->>'attachmentId')`,
      [ticketNo, hubUnitId],
    );
    return rows.map((r) => r.id);
  }

  private async withIds(ticketNo: string, ids: string[]): Promise<AttachmentRow[]> {
    const rows: AttachmentRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM ${ATTACHMENTS} WHERE a.ticket_no = $1 AND a.id = ANY($2::uuid[])`,
      [ticketNo, ids],
    );
    return rows.map((r) => this.row(r));
  }

  private row(r: AttachmentRow): AttachmentRow {
    const w = r.withdrawal;
    return {
      ...r,
      addedAt: new Date(r.addedAt).toISOString(),
      withdrawal: w ? { ...w, at: new Date(w.at).toISOString() } : null,
    };
  }
}

/** What a repeated upload of a kept file's bytes says otherwise than the kept row. */
function differingFields(kept: AttachmentRow, a: NewAttachment): string[] {
  const fields: string[] = [];
  if (kept.name !== a.name) fields.push('name');
  if (kept.kind !== a.kind) fields.push('kind');
  if (kept.contentType !== mediaTypeOf(a.declaredType)) fields.push('content-type');
  if (kept.note !== a.note) fields.push('note');
  if (a.unitId === null && a.sharedWithUnits !== null && kept.sharedWithUnits !== a.sharedWithUnits)
    fields.push('sharedWithUnits');
  return fields;
}
