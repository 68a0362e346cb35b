import { createHash, randomInt } from 'node:crypto';
import { ATTACHMENTS_PER_TICKET } from '@hotline/shared';
import {
  approvedByCentre,
  createTicket,
  driveTicket,
  eventually,
  GOOD_REPLY,
  http,
  login,
  satisfiedBySms,
  startPlatform,
  TICKET_BODY,
} from '../harness';
import type { Platform } from '../harness';

/**
 * Attachments on a ticket's record (RULES §8: "who, what, when, with attachments: scanned approval
 * slips, evidence"), on the real stack: the centre and the units add files, each sees what the rule
 * lets it see and nothing else (not even that a file exists), a unit's action cites its own files
 * and the record names them, a file is never changed, and what is not a file of the types taken
 * is refused with a clear problem.
 */
describe('attachments on the ticket record (e2e)', () => {
  let p: Platform;
  let operator: string;
  let reviewer: string;
  let transport: string;
  let housing: string;
  let hub: string;
  let hunan: string;
  let ninghai: string;

  beforeAll(async () => {
    p = await startPlatform();
    [operator, reviewer, transport, housing, hub, hunan, ninghai] = await Promise.all(
      [
        'operator',
        'reviewer',
        'clerk.transport',
        'clerk.housing',
        'clerk.gulou',
        'clerk.hunan',
        'clerk.ninghai',
      ].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.stop();
  });

  /** A file unlike any other (its bytes carry a random tail), of the type asked. */
  const file = (type: 'pdf' | 'jpeg' | 'png', tail = `${Date.now()}-${randomInt(1e9)}`) => {
    const head = {
      pdf: Buffer.from('%PDF-1.7\n'),
      jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      png: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    }[type];
    return Buffer.concat([head, Buffer.from(tail)]);
  };
  const TYPE = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' };

  const base = (service: 'intake' | 'dispatch', no: string) =>
    `${p.urls[service]}/api/v1/tickets/${no}/attachments`;

  async function upload(
    service: 'intake' | 'dispatch',
    token: string | undefined,
    no: string,
    bytes: Buffer,
    opts: { type?: string; name?: string; query?: string } = {},
  ) {
    const name = opts.name ?? 'file.pdf';
    const res = await fetch(
      `${base(service, no)}?name=${encodeURIComponent(name)}${opts.query ? `&${opts.query}` : ''}`,
      {
        method: 'POST',
        headers: {
          'content-type': opts.type ?? TYPE.pdf,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: bytes,
      },
    );
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), type: res.headers.get('content-type') };
  }

  async function download(service: 'intake' | 'dispatch', token: string, no: string, id: string) {
    const res = await fetch(`${base(service, no)}/${id}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  const list = (service: 'intake' | 'dispatch', token: string, no: string) =>
    http('GET', `${base(service, no)}?limit=200`, { token });
  const names = async (service: 'intake' | 'dispatch', token: string, no: string) => {
    const r = await list(service, token, no);
    expect(r.status).toBe(200);
    return (r.body.items as { name: string }[]).map((a) => a.name).sort();
  };
  const act = (token: string, no: string, action: string, body?: unknown) =>
    http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/${action}`, { token, body });

  /** A road ticket on the transport bureau's desk, signed. */
  async function signedRoadTicket(extra: Record<string, unknown> = {}): Promise<string> {
    const no = await createTicket(p, operator, extra);
    await eventually('signed', async () => (await act(transport, no, 'sign')).status === 200);
    return no;
  }

  it('the centre adds a file once, for good; it comes back byte for byte, named as it was', async () => {
    const no = await createTicket(p, operator);
    const bytes = file('pdf');
    const added = await upload('intake', operator, no, bytes, {
      name: '市民提供的现场照片（中山路128号）.pdf',
      query: 'kind=evidence&note=' + encodeURIComponent('市民来电后补充'),
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      ticketNo: no,
      name: '市民提供的现场照片（中山路128号）.pdf',
      kind: 'evidence',
      contentType: 'application/pdf',
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      unitId: null,
      sharedWithUnits: true,
      note: '市民来电后补充',
      addedBy: 'operator',
      addedByRole: 'operator',
      alreadyApplied: false,
    });

    // The same file again (a retried upload) is the same record: one row, not two.
    const sent = {
      name: '市民提供的现场照片（中山路128号）.pdf',
      query: 'kind=evidence&note=' + encodeURIComponent('市民来电后补充'),
    };
    const again = await upload('intake', operator, no, bytes, sent);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ attachmentId: added.body.attachmentId, alreadyApplied: true });
    // The same bytes sent as another file (another name, kind, note or sharing) are not a repeat:
    // answering the kept row would tell the sender its file was kept as sent.
    for (const [opts, fields] of [
      [{ ...sent, name: 'other-name.pdf' }, ['name']],
      [{ ...sent, query: 'kind=approval_slip&note=' + encodeURIComponent('市民来电后补充') }, ['kind']],
      [{ ...sent, query: sent.query + '&sharedWithUnits=false' }, ['sharedWithUnits']],
    ] as const) {
      const otherwise = await upload('intake', operator, no, bytes, opts);
      expect([otherwise.status, otherwise.body.code, otherwise.body.attachmentId]).toEqual([
        409,
        'attachment_exists',
        added.body.attachmentId,
      ]);
      expect(otherwise.body.fields).toEqual(expect.arrayContaining([...fields]));
    }
    const concurrent = await Promise.all(
      Array.from({ length: 5 }, () => upload('intake', operator, no, Buffer.from(bytes), sent)),
    );
    expect(new Set(concurrent.map((r) => r.body.attachmentId))).toEqual(new Set([added.body.attachmentId]));
    expect(await names('intake', operator, no)).toEqual(['市民提供的现场照片（中山路128号）.pdf']);

    const got = await download('intake', reviewer, no, added.body.attachmentId);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[^"]*"; filename\*=UTF-8''%E5%B8%82%E6%B0%91/,
    );
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('etag')).toBe(`"${added.body.sha256}"`);

    // A file may carry the complainant's data: its download is on the personal-data access log.
    const auditor = await login(p.urls.intake, 'auditor');
    const log = await http('GET', `${p.urls.intake}/api/v1/audit/personal-data-access?ticketNo=${no}`, {
      token: auditor,
    });
    expect(log.body.items).toEqual([
      expect.objectContaining({
        action: 'download',
        username: 'reviewer',
        ticketNo: no,
        fields: ['attachment'],
        reason: `下载附件《市民提供的现场照片（中山路128号）.pdf》(${added.body.attachmentId})`,
      }),
    ]);

    // The ticket's record (the ledger's GET) lists it.
    const ledger = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator });
    expect(ledger.body.attachments).toEqual([
      expect.objectContaining({ attachmentId: added.body.attachmentId }),
    ]);

    // Never changed, never removed: the database itself refuses.
    await expect(
      p.db.query(`UPDATE records.attachments SET name = 'x' WHERE ticket_no = $1`, [no]),
    ).rejects.toThrow(/never changed/);
    await expect(p.db.query(`DELETE FROM records.attachments WHERE ticket_no = $1`, [no])).rejects.toThrow(
      /never changed/,
    );
  });

  it('refuses what is not a file of the types taken, with a clear problem, and writes nothing', async () => {
    const no = await createTicket(p, operator);
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const cases: [
      string,
      Promise<{ status: number; body: { code: string }; type: string | null }>,
      number,
      string,
    ][] = [
      ['html sent as a PDF', upload('intake', operator, no, html), 415, 'unsupported_media_type'],
      [
        'a JPEG sent as a PNG',
        upload('intake', operator, no, file('jpeg'), { type: TYPE.png }),
        415,
        'unsupported_media_type',
      ],
      [
        'an HTML type',
        upload('intake', operator, no, html, { type: 'text/html' }),
        415,
        'unsupported_media_type',
      ],
      ['an empty file', upload('intake', operator, no, Buffer.alloc(0)), 400, 'validation_failed'],
      [
        'a path for a name',
        upload('intake', operator, no, file('pdf'), { name: '../../etc/passwd' }),
        400,
        'validation_failed',
      ],
      [
        'a NUL in the name',
        upload('intake', operator, no, file('pdf'), { name: 'a\u0000.pdf' }),
        400,
        'invalid_text',
      ],
      [
        'an unknown kind',
        upload('intake', operator, no, file('pdf'), { query: 'kind=selfie' }),
        400,
        'validation_failed',
      ],
      [
        'over 10 MiB',
        upload('intake', operator, no, Buffer.concat([file('pdf'), Buffer.alloc(10 * 1024 * 1024)])),
        413,
        'payload_too_large',
      ],
      ['no token', upload('intake', undefined, no, file('pdf')), 401, 'unauthenticated'],
      [
        'no token, 11 MB',
        upload('intake', undefined, no, Buffer.concat([file('pdf'), Buffer.alloc(11 * 1024 * 1024)])),
        401,
        'unauthenticated',
      ],
      [
        'an unknown ticket',
        upload('intake', operator, '20991231999999', file('pdf')),
        404,
        'ticket_not_found',
      ],
      [
        'a unit on a ticket not its own',
        upload('dispatch', housing, no, file('pdf')),
        404,
        'ticket_not_found',
      ],
    ];
    for (const [what, res, status, code] of cases) {
      const r = await res;
      expect({ what, status: r.status, code: r.body.code, type: r.type }).toEqual({
        what,
        status,
        code,
        type: 'application/problem+json; charset=utf-8',
      });
    }
    // A file sent as a form is told how to send it.
    const form = new FormData();
    form.append('file', new Blob([file('pdf')], { type: 'application/pdf' }), 'a.pdf');
    const multipart = await fetch(`${base('intake', no)}?name=a.pdf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operator}` },
      body: form,
    });
    expect(multipart.status).toBe(415);
    expect(((await multipart.json()) as { detail: string }).detail).toMatch(
      /send the file itself as the body/,
    );
    // A type written otherwise (case, parameters) is the same type, kept as the platform names it.
    const loose = await upload('intake', operator, no, file('pdf'), {
      type: 'Application/PDF; charset=binary',
    });
    expect({ status: loose.status, contentType: loose.body.contentType }).toEqual({
      status: 201,
      contentType: 'application/pdf',
    });
    // A file's type sent to an operation that takes JSON is refused as before: it never gets bytes.
    const json = await fetch(`${p.urls.intake}/api/v1/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', authorization: `Bearer ${operator}` },
      body: file('pdf'),
    });
    expect(json.status).toBe(415);
    expect(await names('intake', operator, no)).toEqual(['file.pdf']);
  });

  it(`fills a record to ${ATTACHMENTS_PER_TICKET} files and no further, even when the last ones come at once`, async () => {
    const no = await createTicket(p, operator);
    for (let i = 0; i < ATTACHMENTS_PER_TICKET - 2; i++)
      expect(
        (await upload('intake', operator, no, file('png'), { type: TYPE.png, name: `${i}.png` })).status,
      ).toBe(201);
    const last = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        upload('intake', operator, no, file('png'), { type: TYPE.png, name: `last-${i}.png` }),
      ),
    );
    expect(last.map((r) => r.status).sort()).toEqual([201, 201, 409, 409, 409]);
    expect(
      last.filter((r) => r.status === 409).every((r) => r.body.code === 'attachment_limit_reached'),
    ).toBe(true);
    expect((await list('intake', operator, no)).body.items).toHaveLength(ATTACHMENTS_PER_TICKET);
    // One page at a time, like every list: the record's files, oldest first.
    const page = await http('GET', `${base('intake', no)}?limit=5&offset=20`, { token: operator });
    expect(page.body).toMatchObject({ total: ATTACHMENTS_PER_TICKET, limit: 5, offset: 20 });
    expect(page.body.items.map((a: { name: string }) => a.name)).toEqual(
      [20, 21, 22, 23, 24].map((i) => `${i}.png`),
    );
    // Each party has its own room: the centre's files leave the unit's evidence a place.
    await eventually('signed by the unit', async () => (await act(transport, no, 'sign')).status === 200);
    const evidence = await upload('dispatch', transport, no, file('jpeg'), {
      type: TYPE.jpeg,
      name: '现场.jpg',
    });
    expect(evidence.status).toBe(201);
  });

  it("a unit sees its own files and the centre's shared ones; another unit, nothing; a confidential ticket's stay with the centre", async () => {
    const no = await signedRoadTicket({ assistingUnitIds: ['housing'] });
    const shared = await upload('intake', operator, no, file('pdf'), { name: '共享.pdf' });
    const kept = await upload('intake', operator, no, file('pdf'), {
      name: '身份证复印件.pdf',
      query: 'sharedWithUnits=false',
    });
    expect(kept.body.sharedWithUnits).toBe(false);
    const byLead = await upload('dispatch', transport, no, file('jpeg'), {
      type: TYPE.jpeg,
      name: '现场.jpg',
      query: 'kind=evidence',
    });
    expect(byLead.status).toBe(201);
    expect(byLead.body).toMatchObject({
      unitId: 'transport',
      addedBy: 'clerk.transport',
      addedByRole: 'unit_clerk',
    });
    await eventually(
      'the assisting unit signed',
      async () => (await act(housing, no, 'sign')).status === 200,
    );
    const byAssisting = await upload('dispatch', housing, no, file('pdf'), {
      name: '协办意见.pdf',
      query: 'kind=document',
    });
    expect(byAssisting.status).toBe(201);

    // The centre sees them all; the lead every unit's and the centre's shared one; the assisting unit its own.
    expect(await names('intake', reviewer, no)).toEqual(
      ['共享.pdf', '协办意见.pdf', '现场.jpg', '身份证复印件.pdf'].sort(),
    );
    expect(await names('dispatch', transport, no)).toEqual(['共享.pdf', '协办意见.pdf', '现场.jpg'].sort());
    expect(await names('dispatch', housing, no)).toEqual(['共享.pdf', '协办意见.pdf'].sort());
    const deskRow = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: housing });
    expect((deskRow.body.attachments as { name: string }[]).map((a) => a.name).sort()).toEqual(
      ['共享.pdf', '协办意见.pdf'].sort(),
    );

    // What a unit may not see is not there for it: 404, as a ticket not its own.
    expect((await download('dispatch', transport, no, kept.body.attachmentId)).status).toBe(404);
    expect((await download('dispatch', housing, no, byLead.body.attachmentId)).status).toBe(404);
    expect((await download('dispatch', transport, no, byAssisting.body.attachmentId)).status).toBe(200);
    // Logged, the unit's download as the centre's; a download refused is not a download.
    const downloads: { username: string; action: string }[] = await p.db.query(
      `SELECT username, action FROM audit.personal_data_access WHERE ticket_no = $1`,
      [no],
    );
    expect(downloads).toEqual([{ username: 'clerk.transport', action: 'download' }]);
    const market = await login(p.urls.intake, 'clerk.market');
    expect((await list('dispatch', market, no)).status).toBe(404);
    expect((await download('dispatch', market, no, shared.body.attachmentId)).status).toBe(404);
    // A file of another ticket is not reached through this one.
    const other = await createTicket(p, operator);
    expect((await download('intake', operator, other, shared.body.attachmentId)).status).toBe(404);

    // On a confidential ticket the centre's files stay with the centre unless it shares them.
    const secret = await signedRoadTicket({ confidential: true });
    await upload('intake', operator, secret, file('pdf'), { name: '举报材料.pdf' });
    await upload('intake', operator, secret, file('pdf'), {
      name: '现场照片.pdf',
      query: 'sharedWithUnits=true',
    });
    expect(await names('dispatch', transport, secret)).toEqual(['现场照片.pdf']);
  });

  it("a reply cites the unit's own files and the record names them; another unit's or the centre's it cannot cite", async () => {
    const no = await signedRoadTicket();
    const photo = await upload('dispatch', transport, no, file('jpeg'), {
      type: TYPE.jpeg,
      name: '修复后.jpg',
    });
    const centre = await upload('intake', operator, no, file('pdf'), { name: '来信.pdf' });
    const elsewhere = await signedRoadTicket();
    const otherTicket = await upload('dispatch', transport, elsewhere, file('pdf'), { name: '别的工单.pdf' });

    for (const id of [
      centre.body.attachmentId,
      otherTicket.body.attachmentId,
      '00000000-0000-4000-8000-000000000000',
    ]) {
      const r = await act(transport, no, 'reply', { content: GOOD_REPLY, attachmentIds: [id] });
      expect({ status: r.status, code: r.body.code, field: r.body.field }).toEqual({
        status: 400,
        code: 'validation_failed',
        field: 'attachmentIds',
      });
    }
    const twice = await act(transport, no, 'reply', {
      content: GOOD_REPLY,
      attachmentIds: [photo.body.attachmentId, photo.body.attachmentId],
    });
    expect(twice.status).toBe(400);

    const replied = await act(transport, no, 'reply', {
      content: GOOD_REPLY,
      attachmentIds: [photo.body.attachmentId],
    });
    expect(replied.status).toBe(200);
    const history = await eventually('the reply on the record', async () => {
      const t = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: reviewer });
      return (t.body.history as { type: string; data: Record<string, unknown> }[]).find(
        (h) => h.type === 'ticket.replied',
      );
    });
    expect(history.data.attachments).toEqual([
      { attachmentId: photo.body.attachmentId, name: '修复后.jpg', kind: 'evidence' },
    ]);
  });

  it("a hub's pass cites its approval slip, which its sub-unit reads; the street's result cites its photo, which reaches the centre with the hub's reply", async () => {
    const created = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: {
        ...TICKET_BODY,
        category: 'community',
        title: '小区楼道堆放杂物',
        content: '湖南路12号小区3栋楼道长期堆放杂物，存在消防隐患，请社区协调清理。',
        complainantPhone: `137${randomInt(10_000_000, 99_999_999)}`,
      },
    });
    const no = created.body.ticketNo as string;
    await eventually('signed by the hub', async () => (await act(hub, no, 'sign')).status === 200);
    const slip = await upload('dispatch', hub, no, file('pdf'), {
      name: '审批单.pdf',
      query: 'kind=approval_slip',
    });
    expect(slip.status).toBe(201);
    // The street has no place on the ticket before the pass.
    expect((await list('dispatch', hunan, no)).status).toBe(404);
    const passed = await act(hub, no, 'sub-dispatch', {
      subUnitId: 'gulou-hunan',
      note: '请于今日内现场核实处理，结果经领导审核后答复。',
      attachmentIds: [slip.body.attachmentId],
    });
    expect(passed.status).toBe(200);

    const street = await eventually('the pass on the street’s desk', async () =>
      (await list('dispatch', hunan, no)).status === 200 ? names('dispatch', hunan, no) : null,
    );
    expect(street).toEqual(['审批单.pdf']);
    expect((await download('dispatch', hunan, no, slip.body.attachmentId)).status).toBe(200);
    expect((await list('dispatch', ninghai, no)).status).toBe(404);

    const photo = await upload('dispatch', hunan, no, file('jpeg'), { type: TYPE.jpeg, name: '清理后.jpg' });
    expect(photo.status).toBe(201);
    expect(await names('dispatch', hub, no)).toEqual(['审批单.pdf', '清理后.jpg'].sort());
    expect((await act(hunan, no, 'sign')).status).toBe(200);
    // The street cannot cite the hub's slip as its own.
    expect(
      (await act(hunan, no, 'sub-reply', { content: GOOD_REPLY, attachmentIds: [slip.body.attachmentId] }))
        .status,
    ).toBe(400);
    expect(
      (await act(hunan, no, 'sub-reply', { content: GOOD_REPLY, attachmentIds: [photo.body.attachmentId] }))
        .status,
    ).toBe(200);
    expect((await act(hub, no, 'sub-review', { approve: true, leaderName: '李副区长' })).status).toBe(200);

    const record = await eventually('the hub’s reply on the record', async () => {
      const t = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: reviewer });
      return t.body.status === 'replied' ? t.body : null;
    });
    const data = (type: string) =>
      (record.history as { type: string; data: Record<string, unknown> }[]).find((h) => h.type === type)
        ?.data;
    expect(data('ticket.sub_dispatched')?.attachments).toEqual([
      { attachmentId: slip.body.attachmentId, name: '审批单.pdf', kind: 'approval_slip' },
    ]);
    const cited = [{ attachmentId: photo.body.attachmentId, name: '清理后.jpg', kind: 'evidence' }];
    expect(data('ticket.sub_replied')?.attachments).toEqual(cited);
    expect(data('ticket.replied')).toMatchObject({ unitId: 'gulou-gov', attachments: cited });
  });

  it("a hub cannot approve a street's result that cites a file withdrawn since; sent back, the new result goes up", async () => {
    const created = await http('POST', `${p.urls.intake}/api/v1/tickets`, {
      token: operator,
      body: {
        ...TICKET_BODY,
        category: 'community',
        title: '小区路灯不亮',
        content: '湖南路20号小区内路灯多处不亮，夜间出行不便，请社区协调修复。',
        complainantPhone: `137${randomInt(10_000_000, 99_999_999)}`,
      },
    });
    const no = created.body.ticketNo as string;
    await eventually('signed by the hub', async () => (await act(hub, no, 'sign')).status === 200);
    expect(
      (await act(hub, no, 'sub-dispatch', { subUnitId: 'gulou-hunan', note: '请现场核实处理。' })).status,
    ).toBe(200);
    await eventually(
      'the pass on the street’s desk',
      async () => (await act(hunan, no, 'sign')).status === 200,
    );
    const wrong = await upload('dispatch', hunan, no, file('jpeg'), {
      type: TYPE.jpeg,
      name: '他人身份证.jpg',
    });
    const id = wrong.body.attachmentId as string;
    expect((await act(hunan, no, 'sub-reply', { content: GOOD_REPLY, attachmentIds: [id] })).status).toBe(
      200,
    );
    const withdrawn = await http(
      'POST',
      `${p.urls.dispatch}/api/v1/tickets/${no}/attachments/${id}/withdrawal`,
      {
        token: hunan,
        body: { reason: '误传了他人的身份证照片' },
      },
    );
    expect(withdrawn.status).toBe(200);
    const approve = await act(hub, no, 'sub-review', { approve: true, leaderName: '李副区长' });
    expect([approve.status, approve.body.code]).toEqual([409, 'action_rejected']);
    expect(approve.body.detail).toContain(id);
    expect(
      (
        await act(hub, no, 'sub-review', {
          approve: false,
          leaderName: '李副区长',
          note: '附件已撤回，请重报',
        })
      ).status,
    ).toBe(200);
    expect((await act(hunan, no, 'sub-reply', { content: GOOD_REPLY })).status).toBe(200);
    expect((await act(hub, no, 'sub-review', { approve: true, leaderName: '李副区长' })).status).toBe(200);
    const record = await eventually('the hub’s reply on the record', async () => {
      const t = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: reviewer });
      return t.body.status === 'replied' ? t.body : null;
    });
    const reply = (record.history as { type: string; data: Record<string, unknown> }[]).find(
      (h) => h.type === 'ticket.replied',
    );
    expect(reply?.data.attachments).toBeUndefined();
  });

  it('a closed ticket takes no more files from a unit; its files stay readable', async () => {
    const crew = { operator, reviewer, clerk: transport };
    const no = await driveTicket(p, crew, { approve: false });
    const photo = await upload('dispatch', transport, no, file('jpeg'), {
      type: TYPE.jpeg,
      name: '修复后.jpg',
    });
    expect(
      (await act(transport, no, 'reply', { content: GOOD_REPLY, attachmentIds: [photo.body.attachmentId] }))
        .status,
    ).toBe(200);
    await approvedByCentre(p, reviewer, no);
    await satisfiedBySms(p, operator, no);
    await eventually('closed on the desk', async () => {
      const t = await http('GET', `${p.urls.dispatch}/api/v1/tickets/${no}`, { token: transport });
      return t.body.assignmentStatus === 'closed';
    });
    const late = await upload('dispatch', transport, no, file('pdf'), { name: '补充.pdf' });
    expect({ status: late.status, code: late.body.code }).toEqual({ status: 409, code: 'ticket_closed' });
    expect(await names('dispatch', transport, no)).toEqual(['修复后.jpg']);
    expect((await download('dispatch', transport, no, photo.body.attachmentId)).status).toBe(200);
  });

  it('a wrong upload is withdrawn, not deleted: it stays on the record, marked, the centre’s only; none cites it', async () => {
    const no = await signedRoadTicket();
    const withdraw = (
      service: 'intake' | 'dispatch',
      token: string,
      id: string,
      body: unknown = { reason: '误传了他人的身份证复印件' },
    ) => http('POST', `${base(service, no)}/${id}/withdrawal`, { token, body });
    const wrong = await upload('dispatch', transport, no, file('pdf'), { name: '误传.pdf' });
    const right = await upload('dispatch', transport, no, file('pdf'), { name: '现场照片.pdf' });
    const centre = await upload('intake', operator, no, file('pdf'), { name: '来信扫描件.pdf' });
    expect([wrong.status, right.status, centre.status]).toEqual([201, 201, 201]);

    // Who may: the unit not the centre's file (409), not another unit's ticket (404); a reason is needed.
    const theirs = await withdraw('dispatch', transport, centre.body.attachmentId);
    expect([theirs.status, theirs.body.code]).toEqual([409, 'action_rejected']);
    expect((await withdraw('dispatch', housing, wrong.body.attachmentId)).status).toBe(404);
    for (const body of [{ reason: '   ' }, { reason: '' }, {}, { reason: 'x'.repeat(501) }])
      expect((await withdraw('dispatch', transport, wrong.body.attachmentId, body)).body.code).toBe(
        'validation_failed',
      );
    expect((await withdraw('dispatch', transport, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await withdraw('dispatch', transport, 'not-a-uuid')).status).toBe(404);

    const done = await withdraw('dispatch', transport, wrong.body.attachmentId);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      attachmentId: wrong.body.attachmentId,
      alreadyApplied: false,
      withdrawal: { reason: '误传了他人的身份证复印件', role: 'unit_clerk' },
    });
    // Again (a retried request): the same withdrawal.
    const again = await withdraw('dispatch', transport, wrong.body.attachmentId, { reason: '再次' });
    expect(again.body).toMatchObject({
      alreadyApplied: true,
      withdrawal: { reason: '误传了他人的身份证复印件' },
    });

    // The unit no longer sees it, nor cites it; the centre still does, marked; the bytes are kept.
    expect(await names('dispatch', transport, no)).toEqual(['来信扫描件.pdf', '现场照片.pdf']);
    expect((await download('dispatch', transport, no, wrong.body.attachmentId)).status).toBe(404);
    const cited = await act(transport, no, 'reply', {
      content: GOOD_REPLY,
      attachmentIds: [wrong.body.attachmentId],
    });
    expect([cited.status, cited.body.code]).toEqual([400, 'validation_failed']);
    const all = (await list('intake', operator, no)).body.items as { name: string; withdrawal: unknown }[];
    expect(all.find((a) => a.name === '误传.pdf')?.withdrawal).toMatchObject({
      reason: '误传了他人的身份证复印件',
    });
    expect(all.find((a) => a.name === '现场照片.pdf')?.withdrawal).toBeNull();
    expect((await download('intake', operator, no, wrong.body.attachmentId)).status).toBe(200);

    // Withdrawn by mistake, a file is put back by sending it again: a new record beside the
    // withdrawn one, which stays withdrawn; sent once more, it is that new record.
    const rightBytes = (await download('dispatch', transport, no, right.body.attachmentId)).bytes;
    const mistaken = await withdraw('dispatch', transport, right.body.attachmentId, { reason: '撤错了' });
    expect(mistaken.status).toBe(200);
    expect(await names('dispatch', transport, no)).toEqual(['来信扫描件.pdf']);
    const back = await upload('dispatch', transport, no, rightBytes, { name: '现场照片.pdf' });
    expect(back.status).toBe(201);
    expect(back.body).toMatchObject({ alreadyApplied: false, withdrawal: null, sha256: right.body.sha256 });
    expect(back.body.attachmentId).not.toBe(right.body.attachmentId);
    const backAgain = await upload('dispatch', transport, no, rightBytes, { name: '现场照片.pdf' });
    expect(backAgain.body).toMatchObject({ attachmentId: back.body.attachmentId, alreadyApplied: true });
    expect(await names('dispatch', transport, no)).toEqual(['来信扫描件.pdf', '现场照片.pdf']);
    const kept = (await list('intake', operator, no)).body.items as {
      attachmentId: string;
      withdrawal: unknown;
    }[];
    expect(kept.find((a) => a.attachmentId === right.body.attachmentId)?.withdrawal).toMatchObject({
      reason: '撤错了',
    });

    // The centre withdraws its own (or any) file; the units stop seeing it.
    expect(
      (await withdraw('intake', operator, centre.body.attachmentId, { reason: '扫描件错误，重新上传' }))
        .status,
    ).toBe(200);
    expect(await names('dispatch', transport, no)).toEqual(['现场照片.pdf']);
    expect((await withdraw('intake', operator, back.body.attachmentId, { reason: ' ' })).status).toBe(400);
    // Put back twice at once (a retried request racing the first): one new record, not two.
    const centreBytes = (await download('intake', operator, no, centre.body.attachmentId)).bytes;
    const twice = await Promise.all(
      [1, 2].map(() => upload('intake', operator, no, centreBytes, { name: '来信扫描件.pdf' })),
    );
    expect(twice.map((r) => [r.status, r.body.alreadyApplied]).sort()).toEqual([
      [201, false],
      [201, true],
    ]);
    expect(new Set(twice.map((r) => r.body.attachmentId)).size).toBe(1);
    // The database holds to it too, lock or no lock: a second copy of a put-back file is refused.
    await expect(
      p.db.query(
        `INSERT INTO records.attachments (id, ticket_no, name, kind, content_type, size_bytes, sha256, unit_id,
           shared_with_units, note, added_by, added_by_role, content, put_back_of)
         SELECT gen_random_uuid(), ticket_no, name, kind, content_type, size_bytes, sha256, unit_id,
           shared_with_units, note, added_by, added_by_role, content, put_back_of
         FROM records.attachments WHERE id = $1`,
        [back.body.attachmentId],
      ),
    ).rejects.toThrow(/duplicate key/);
    expect(await names('dispatch', transport, no)).toEqual(['来信扫描件.pdf', '现场照片.pdf']);

    // The withdrawal itself is never changed or removed.
    await expect(
      p.db.query(`UPDATE records.attachment_withdrawals SET reason = 'x' WHERE attachment_id = $1`, [
        wrong.body.attachmentId,
      ]),
    ).rejects.toThrow(/never changed/);
    await expect(
      p.db.query(`DELETE FROM records.attachment_withdrawals WHERE attachment_id = $1`, [
        wrong.body.attachmentId,
      ]),
    ).rejects.toThrow(/never changed/);
  });

  it('answers 404 for the files of a ticket that does not exist, never an empty record', async () => {
    for (const no of ['20991231999999', '00000000000000']) {
      const r = await http('GET', `${p.urls.intake}/api/v1/tickets/${no}/attachments`, { token: operator });
      expect([r.status, r.body.code]).toEqual([404, 'ticket_not_found']);
    }
  });
});
