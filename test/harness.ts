import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Worker } from '@temporalio/worker';
import type { NativeConnection } from '@temporalio/worker';
import { loadConfig, monthKeyOf, SQ_POLICY } from '@hotline/shared';
import type { PlatformConfig } from '@hotline/shared';
import { createDataSource, createKafka, ensureTopics } from '@hotline/platform';
import { parseTicketEvent, TICKET_EVENTS_TOPIC, topicName } from '@hotline/shared';
import type { AnyTicketEvent } from '@hotline/shared';
import type { DataSource } from 'typeorm';
import { createIntakeApp } from '../services/intake/src/app';
import { createDispatchApp } from '../services/dispatch/src/app';
import { createEvaluationApp } from '../services/evaluation/src/app';
import { createSupervisionApp } from '../services/supervision/src/app';
import { createTicketWorker } from '../workflows/src/worker/worker';

/**
 * The whole platform in the test process, against the real servers: the four services on random
 * ports and a worker on the run's own task queue. `overrides` change the configuration of this
 * platform only (e.g. `trustProxy`, `authUserCacheTtlMs`).
 */
export interface Platform {
  config: PlatformConfig;
  urls: { intake: string; dispatch: string; evaluation: string; supervision: string };
  db: DataSource;
  /** The platform's worker: stopped (as when its process dies) and started again. */
  worker: { stop(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

export async function startPlatform(overrides: Partial<PlatformConfig> = {}): Promise<Platform> {
  const config = { ...loadConfig(process.env), ...overrides };
  const apps: NestFastifyApplication[] = [];
  const listen = async (create: (c: PlatformConfig) => Promise<NestFastifyApplication>) => {
    const app = await create(config);
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    return (await app.getUrl()).replace('[::1]', '127.0.0.1');
  };
  const urls = {
    intake: await listen(createIntakeApp),
    dispatch: await listen(createDispatchApp),
    evaluation: await listen(createEvaluationApp),
    supervision: await listen(createSupervisionApp),
  };
  const db = await createDataSource(config.databaseUrl, {
    poolSize: 4,
    applicationName: 'test',
  }).initialize();
  let running: { worker: Worker; connection: NativeConnection; done: Promise<void> } | null = null;
  const worker = {
    async start() {
      if (running) return;
      const { worker: w, connection }: { worker: Worker; connection: NativeConnection } =
        await createTicketWorker({ config, ds: db });
      running = { worker: w, connection, done: w.run() };
    },
    async stop() {
      if (!running) return;
      const { worker: w, connection, done } = running;
      running = null;
      w.shutdown();
      await done;
      await connection.close();
    },
  };
  await worker.start();
  return {
    config,
    urls,
    db,
    worker,
    async stop() {
      await worker.stop();
      for (const app of apps.reverse()) await app.close();
      await db.destroy();
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function http<T = any>(
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export async function login(intakeUrl: string, username: string, password = 'hotline12345'): Promise<string> {
  const res = await http<{ accessToken: string }>('POST', `${intakeUrl}/api/v1/auth/login`, {
    body: { username, password },
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/** A ticket's registration: a road complaint in gulou, which the demo catalog routes to transport. */
export const TICKET_BODY = {
  channel: 'phone',
  kind: 'complaint',
  category: 'road',
  regionCode: 'gulou',
  title: '路面破损',
  content: '中山路128号人行道地砖松动，行人易绊倒。',
  complainantName: '张先生',
  complainantPhone: '13800138000',
} as const;

/** Creates a ticket as the operator; `category` picks the unit by the demo catalog. */
export async function createTicket(
  p: Platform,
  operatorToken: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const r = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
    token: operatorToken,
    body: { ...TICKET_BODY, ...extra },
  });
  if (r.status !== 201) throw new Error(`create ticket: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.ticketNo as string;
}

/** Polls until `probe` returns a value (eventual consistency through Kafka), or fails with `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Reads the run's ticket events from Kafka from the beginning, as any consumer would. */
export async function observeTicketEvents(
  config: PlatformConfig,
  name: string,
): Promise<{ seen: AnyTicketEvent[]; stop: () => Promise<void> }> {
  const kafka = createKafka(config, name);
  const topic = topicName(config, TICKET_EVENTS_TOPIC);
  await ensureTopics(kafka, [topic]);
  const consumer = kafka.consumer({ groupId: `${config.kafkaPrefix}.${name}` });
  const seen: AnyTicketEvent[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      try {
        seen.push(parseTicketEvent(JSON.parse(message.value?.toString('utf8') ?? '')));
      } catch {
        // other tests put junk on the topic on purpose (dead-letter handling); not ours to judge
      }
    },
  });
  return { seen, stop: () => consumer.disconnect() };
}

/** A reply that meets the closure standard (办结标准): the review can approve it. */
export const GOOD_REPLY =
  '经核实，中山路128号门前人行道地砖松动12块，已安排养护科于今日更换完毕，现场已恢复通行。联系人：王工。';

/** The tokens a ticket's course needs: the operator (intake, callbacks), the reviewer, the unit's clerk. */
export interface Crew {
  operator: string;
  reviewer: string;
  clerk: string;
}

/**
 * Drives a road ticket (the transport bureau's) through the public APIs: created, signed as soon
 * as it is on the desk, replied and approved; then each callback answer in turn (SMS, manual, …).
 * Returns its number. `extra` goes into the intake request (channel, kind, phone…).
 */
export async function driveTicket(
  p: Platform,
  crew: Crew,
  opts: {
    extra?: Record<string, unknown>;
    approve?: boolean;
    answers?: ['sms' | 'manual', string | null][];
  } = {},
): Promise<string> {
  const no = await createTicket(p, crew.operator, opts.extra ?? {});
  await eventually('signed', async () => {
    return (
      (await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/sign`, { token: crew.clerk })).status ===
      200
    );
  });
  if (opts.approve === false) return no;
  await replyApproved(p, crew, no);
  for (const [mode, verdict] of opts.answers ?? []) await callbackAnswer(p, crew.operator, no, mode, verdict);
  return no;
}

/** The unit replies (GOOD_REPLY by default) and the reviewer approves it: the workflow then asks the citizen. */
export async function replyApproved(
  p: Platform,
  crew: Crew,
  no: string,
  reply: Record<string, unknown> = { content: GOOD_REPLY },
): Promise<void> {
  const replied = await http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/reply`, {
    token: crew.clerk,
    body: reply,
  });
  if (replied.status !== 200)
    throw new Error(`reply ${no}: ${replied.status} ${JSON.stringify(replied.body)}`);
  await approvedByCentre(p, crew.reviewer, no);
}

/** The reviewer approves the reply the ticket awaits review of: the workflow then asks the citizen. */
export async function approvedByCentre(p: Platform, reviewer: string, no: string): Promise<void> {
  const reviewed = await http('POST', `${p.urls.intake}/api/v1/tickets/${no}/review`, {
    token: reviewer,
    body: { approve: true },
  });
  if (reviewed.status !== 200)
    throw new Error(`review ${no}: ${reviewed.status} ${JSON.stringify(reviewed.body)}`);
}

/** The SMS gateway's answer or the operator's manual callback, as the evaluation API takes it. */
export async function callbackAnswer(
  p: Platform,
  operator: string,
  no: string,
  mode: 'sms' | 'manual',
  verdict: string | null,
): Promise<HttpResult> {
  const r = await http('POST', `${p.urls.evaluation}/api/v1/callbacks/${no}/${mode}`, {
    token: operator,
    body: { verdict },
  });
  if (r.status !== 200) throw new Error(`${mode} callback ${no}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

/** The citizen answers the callback SMS "satisfied" once the workflow has asked: the ticket closes. */
export async function satisfiedBySms(p: Platform, operator: string, no: string): Promise<void> {
  await eventually('the SMS callback taken', async () => {
    await callbackAnswer(p, operator, no, 'sms', 'satisfied');
    return true;
  });
}

/**
 * An expert case: a road ticket (the transport bureau's) still unsatisfied after one rectification
 * round, closed on the unsatisfied manual callback. Returns its number.
 */
export async function expertCase(
  p: Platform,
  crew: Crew,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const no = await driveTicket(p, crew, {
    extra,
    answers: [
      ['sms', 'unsatisfied'],
      ['manual', 'unsatisfied'],
    ],
  });
  await replyApproved(p, crew, no);
  await callbackAnswer(p, crew.operator, no, 'sms', 'unsatisfied');
  const closed = await callbackAnswer(p, crew.operator, no, 'manual', 'unsatisfied');
  if (closed.body.status !== 'closed') throw new Error(`${no} not closed: ${JSON.stringify(closed.body)}`);
  return no;
}

/** Who holds an expert case's assignment `attempt` (the evaluator's login and pool id), once assigned. */
export function expertHolder(p: Platform, no: string, attempt: number) {
  return eventually(`attempt ${attempt} of ${no} assigned`, async () => {
    const rows: { userId: string; evaluatorId: string }[] = await p.db.query(
      `SELECT e.user_id AS "userId", e.id AS "evaluatorId" FROM evaluation.expert_assignments a
       JOIN evaluation.evaluators e ON e.id = a.evaluator_id WHERE a.ticket_no = $1 AND a.attempt = $2`,
      [no, attempt],
    );
    return rows[0];
  });
}

/**
 * Suqian's policy with a sign limit of 2 seconds, saved as a policy set of its own (`code`): a
 * ticket registered while it is active can really be signed late. Answers the saving's response.
 */
export function saveQuickSignPolicy(p: Platform, admin: string, code: string, name: string) {
  return http('POST', `${p.urls.intake}/api/v1/admin/policy-sets`, {
    token: admin,
    body: {
      ...SQ_POLICY,
      code,
      name,
      defaults: { ...SQ_POLICY.defaults, sign: { amount: 2 / 60, unit: 'minutes' } },
      rules: [],
    },
  });
}

/** The tickets a unit is scored for as signed late (PA −0.5 each) in this month's assessment. */
export async function lateSignsOf(p: Platform, supervisor: string, unitId: string): Promise<string[]> {
  const period = monthKeyOf(Date.now());
  const r = await http('GET', `${p.urls.supervision}/api/v1/assessments/units/${unitId}?period=${period}`, {
    token: supervisor,
  });
  return r.body.facts.lateSigns as string[];
}

/** What a unit withdrawn from a ticket (own_actions) never sees of it: the ticket's content and its complainant. */
export const WITHDRAWN_UNIT_NEVER_SEES = [
  'title',
  'content',
  'address',
  'respondent',
  'demand',
  'complainantName',
  'complainantPhone',
] as const;
