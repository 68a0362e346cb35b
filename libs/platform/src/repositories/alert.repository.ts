import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PLATFORM_ALERTS_TOPIC, topicName } from '@hotline/shared';
import type { PlatformAlert } from '@hotline/shared';

/**
 * Alerts for the people who run the platform: something keeps failing (an activity retrying, a
 * projection dead-lettering). Stored, and published to Kafka through the outbox in the same
 * transaction, so an operations console or a pager can consume them.
 */
export class AlertRepository {
  constructor(
    private readonly ds: DataSource,
    private readonly kafkaPrefix: string,
  ) {}

  async raise(a: {
    kind: PlatformAlert['kind'];
    subject: string;
    detail: string;
    attempt?: number;
  }): Promise<PlatformAlert> {
    const alert: PlatformAlert = {
      id: randomUUID(),
      type: 'platform.alert_raised',
      version: 1,
      kind: a.kind,
      subject: a.subject,
      detail: a.detail,
      attempt: a.attempt ?? null,
      occurredAt: new Date().toISOString(),
    };
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO platform.alerts (id, kind, subject, detail, attempt, raised_at) VALUES ($1,$2,$3,$4,$5,$6)`,
        [alert.id, alert.kind, alert.subject, alert.detail, alert.attempt, alert.occurredAt],
      );
      await m.query(
        `INSERT INTO platform.outbox (topic, message_key, event_id, payload) VALUES ($1,$2,$3,$4)`,
        [topicName({ kafkaPrefix: this.kafkaPrefix }, PLATFORM_ALERTS_TOPIC), alert.subject, alert.id, alert],
      );
    });
    return alert;
  }

  async recent(
    limit = 50,
  ): Promise<{ id: string; kind: string; subject: string; detail: string; raisedAt: string }[]> {
    return this.ds.query(
      `SELECT id, kind, subject, detail, raised_at AS "raisedAt" FROM platform.alerts ORDER BY raised_at DESC LIMIT $1`,
      [limit],
    );
  }
}
