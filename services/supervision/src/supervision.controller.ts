import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ProblemException, Roles } from '@hotline/platform';

@ApiTags('supervision')
@ApiBearerAuth()
@Roles('supervisor', 'reviewer', 'admin')
@Controller('api/v1')
export class SupervisionController {
  constructor(private readonly ds: DataSource) {}

  @Get('tickets/:ticketNo/facts')
  @ApiOkResponse({ description: "Supervision's facts of one ticket, as the events reported them." })
  async facts(@Param('ticketNo') ticketNo: string) {
    const rows = await this.ds.query(
      `SELECT ticket_no AS "ticketNo", status, unit_id AS "unitId", category, region_code AS "regionCode",
              created_at AS "createdAt", dispatched_at AS "dispatchedAt", sign_due_at AS "signDueAt",
              signed_at AS "signedAt", signed_late AS "signedLate", replied_at AS "repliedAt",
              closed_at AS "closedAt", last_seq AS "lastSeq", complete_due_at AS "completeDueAt",
              overdue_count AS "overdueCount", reminder_count AS "reminderCount",
              extension_count AS "extensionCount", return_count AS "returnCount",
              rejected_reply_count AS "rejectedReplyCount", outcome
       FROM supervision.ticket_facts WHERE ticket_no = $1`,
      [ticketNo],
    );
    if (rows.length === 0)
      throw new ProblemException('ticket_not_found', `no facts for ticket ${ticketNo} yet`);
    return rows[0];
  }

  @Get('units/overview')
  @ApiOkResponse({ description: 'Per unit: tickets by status and late signs.' })
  async overview() {
    const items = await this.ds.query(
      `SELECT unit_id AS "unitId", count(*)::int AS total,
              count(*) FILTER (WHERE status = 'closed')::int AS closed,
              count(*) FILTER (WHERE signed_late)::int AS "lateSigns",
              coalesce(sum(overdue_count), 0)::int AS "overdueEvents"
       FROM supervision.ticket_facts WHERE unit_id IS NOT NULL GROUP BY unit_id ORDER BY unit_id`,
    );
    return { items };
  }
}
