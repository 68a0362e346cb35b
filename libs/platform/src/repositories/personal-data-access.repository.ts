import type { DataSource } from 'typeorm';
import type { PersonalDataField, Role } from '@hotline/shared';
import type { PiiCipher } from '../security/pii-cipher';
import { ticketPiiAad } from '../security/pii-rotation';
import { queryPage } from './page';

export interface PersonalDataReader {
  userId: string;
  username: string;
  role: Role;
}

export interface RevealRequest {
  reason: string;
  requestAddress: string | null;
  userAgent: string | null;
}

export interface RevealedComplainant {
  ticketNo: string;
  complainantName: string | null;
  complainantPhone: string | null;
  confidential: boolean;
  /** The access log row that records this reveal. */
  accessId: string;
  revealedAt: string;
}

/** Where a request that reads personal data came from, as the access log keeps it. */
export type AccessOrigin = Omit<RevealRequest, 'reason'>;

export interface PersonalDataAccessRow {
  id: string;
  occurredAt: string;
  userId: string;
  username: string;
  role: Role;
  /**
   * `reveal`: the plain values were shown; `search`: a search by phone found the ticket;
   * `download`: a file on the ticket's record was downloaded.
   */
  action: 'reveal' | 'search' | 'download';
  /** Null for a search that found no ticket. */
  ticketNo: string | null;
  fields: PersonalDataField[];
  reason: string;
  requestAddress: string | null;
  userAgent: string | null;
}

export interface AccessLogFilter {
  ticketNo?: string;
  userId?: string;
  username?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/**
 * The reveal of a complainant's plain data and its access log (audit.personal_data_access,
 * append-only: a trigger refuses UPDATE, DELETE and TRUNCATE). A reveal and its log row are one
 * transaction: no plain value leaves without its row.
 */
export class PersonalDataAccessRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly pii: PiiCipher,
  ) {}

  /** The ticket's plain name and phone, logged; null when there is no such ticket. */
  async reveal(
    ticketNo: string,
    who: PersonalDataReader,
    request: RevealRequest,
  ): Promise<RevealedComplainant | null> {
    return this.ds.transaction(async (m) => {
      const rows = await m.query(
        `SELECT complainant_name, complainant_phone, confidential FROM ticket.tickets WHERE ticket_no = $1`,
        [ticketNo],
      );
      if (rows.length === 0) return null;
      const r = rows[0] as {
        complainant_name: string | null;
        complainant_phone: string | null;
        confidential: boolean;
      };
      // Decrypted before the log row is written: a value that does not decrypt is not revealed.
      const complainantName = this.pii.open(r.complainant_name, ticketPiiAad(ticketNo, 'complainant_name'));
      const complainantPhone = this.pii.open(
        r.complainant_phone,
        ticketPiiAad(ticketNo, 'complainant_phone'),
      );
      const fields: PersonalDataField[] = ['complainantName', 'complainantPhone'];
      const [log] = await m.query(
        `INSERT INTO audit.personal_data_access
           (user_id, username, role, action, ticket_no, fields, reason, request_address, user_agent)
         VALUES ($1,$2,$3,'reveal',$4,$5,$6,$7,$8) RETURNING id::text AS id, occurred_at AS "occurredAt"`,
        [
          who.userId,
          who.username,
          who.role,
          ticketNo,
          fields,
          request.reason,
          request.requestAddress,
          request.userAgent,
        ],
      );
      return {
        ticketNo,
        complainantName,
        complainantPhone,
        confidential: r.confidential,
        accessId: log.id as string,
        revealedAt: new Date(log.occurredAt).toISOString(),
      };
    });
  }

  /**
   * How many searches of personal data this user made since `since` (a search's rows share their
   * time: one transaction's now()).
   */
  async searchesSince(userId: string, since: Date): Promise<number> {
    const [r] = await this.ds.query(
      `SELECT count(DISTINCT occurred_at)::int AS n FROM audit.personal_data_access
       WHERE user_id = $1 AND action = 'search' AND occurred_at > $2`,
      [userId, since],
    );
    return (r as { n: number }).n;
  }

  /**
   * A search by phone links that number to the tickets it found (their data shown masked): one
   * row per ticket found, so the auditor sees it under each ticket, and one row without a ticket
   * when it found none, so that every such search is on the log.
   */
  async recordSearch(ticketNos: string[], who: PersonalDataReader, request: RevealRequest): Promise<void> {
    await this.ds.query(
      `INSERT INTO audit.personal_data_access
         (user_id, username, role, action, ticket_no, fields, reason, request_address, user_agent)
       SELECT $1, $2, $3, 'search', t, $5, $6, $7, $8
       FROM unnest(CASE WHEN cardinality($4::text[]) = 0 THEN ARRAY[NULL]::text[] ELSE $4::text[] END) AS t`,
      [
        who.userId,
        who.username,
        who.role,
        ticketNos,
        ['complainantPhone'] satisfies PersonalDataField[],
        request.reason,
        request.requestAddress,
        request.userAgent,
      ],
    );
  }

  /** A file on the ticket's record downloaded: logged before its bytes leave. */
  async recordDownload(
    ticketNo: string,
    attachment: { attachmentId: string; name: string },
    who: PersonalDataReader,
    request: AccessOrigin,
  ): Promise<void> {
    await this.ds.query(
      `INSERT INTO audit.personal_data_access
         (user_id, username, role, action, ticket_no, fields, reason, request_address, user_agent)
       VALUES ($1,$2,$3,'download',$4,$5,$6,$7,$8)`,
      [
        who.userId,
        who.username,
        who.role,
        ticketNo,
        ['attachment'] satisfies PersonalDataField[],
        `下载附件《${attachment.name}》(${attachment.attachmentId})`,
        request.requestAddress,
        request.userAgent,
      ],
    );
  }

  /** The log, newest first. */
  async list(filter: AccessLogFilter): Promise<{ items: PersonalDataAccessRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.ticketNo) where.push(`ticket_no = $${params.push(filter.ticketNo)}`);
    if (filter.userId) where.push(`user_id = $${params.push(filter.userId)}`);
    if (filter.username) where.push(`username = $${params.push(filter.username)}`);
    if (filter.from) where.push(`occurred_at >= $${params.push(filter.from)}`);
    if (filter.to) where.push(`occurred_at < $${params.push(filter.to)}`);
    const { items, total } = await queryPage<PersonalDataAccessRow>(
      this.ds,
      {
        select: `id::text AS id, occurred_at AS "occurredAt", user_id AS "userId", username, role, action,
          ticket_no AS "ticketNo", fields, reason, request_address AS "requestAddress", user_agent AS "userAgent"`,
        from: `FROM audit.personal_data_access ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
        // The table's id (a number), not the selected text alias: 9 before 10, not after.
        orderBy: 'occurred_at DESC, audit.personal_data_access.id DESC',
      },
      params,
      filter,
    );
    return {
      items: items.map((i) => ({ ...i, occurredAt: new Date(i.occurredAt).toISOString() })),
      total,
    };
  }
}
