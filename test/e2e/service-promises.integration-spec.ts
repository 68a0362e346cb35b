import { createTicket, eventually, GOOD_REPLY, http, login, startPlatform } from '../harness';
import type { Platform } from '../harness';

/**
 * A unit's service promises (服务承诺) on the real stack: the administrator records them; a reply
 * that contradicts one does not close the ticket (closure standard art. 5.5, RULES §3): it is
 * refused with its defect and stays on the record, and a reply keeping the promise goes through.
 */
describe('service promises (e2e)', () => {
  let p: Platform;
  let admin: string;
  let operator: string;
  let clerk: string;
  const PROMISES = ['24小时内上门维修', '3个工作日内退款'];
  const BROKEN = '经核实，因近期养护人员紧张，我局暂时无法上门维修，请您先自行设置警示标志，谢谢理解。';
  const LATE = '经核实，该处路灯线路老化，我局已于当日设置警示标志，后续3个工作日内上门维修更换线路。';

  beforeAll(async () => {
    p = await startPlatform();
    [admin, operator, clerk] = await Promise.all(
      ['admin', 'operator', 'clerk.transport'].map((u) => login(p.urls.intake, u)),
    );
  });
  afterAll(async () => {
    await p?.db.query(`UPDATE catalog.units SET service_promises = '{}' WHERE id = 'transport'`);
    await p?.stop();
  });

  const A = () => `${p.urls.intake}/api/v1/admin/units`;
  const put = (token: string, unitId: string, body: unknown) =>
    http('PUT', `${A()}/${unitId}/service-promises`, { token, body });

  it('the administrator records a unit’s promises; bad ones, other callers and unknown units are refused', async () => {
    const set = await put(admin, 'transport', { servicePromises: [' 24小时内上门维修 ', ...PROMISES] });
    expect(set.body).toEqual({ unitId: 'transport', servicePromises: PROMISES });
    const read = await http('GET', `${A()}/transport/service-promises`, { token: admin });
    expect(read.body).toEqual({ unitId: 'transport', servicePromises: PROMISES });
    const refused = await Promise.all([
      put(admin, 'transport', { servicePromises: ['24小时内'] }),
      put(admin, 'transport', { servicePromises: ['  '] }),
      put(admin, 'transport', { servicePromises: '24小时内上门维修' }),
      put(admin, 'transport', {
        servicePromises: Array.from({ length: 21 }, (_, i) => `${i}小时内上门维修`),
      }),
      put(admin, 'transport', {}),
      put(clerk, 'transport', { servicePromises: [] }),
      put(operator, 'transport', { servicePromises: [] }),
      put(admin, 'no-such-unit', { servicePromises: PROMISES }),
      http('GET', `${A()}/no-such-unit/service-promises`, { token: admin }),
    ]);
    expect(refused.map((r) => [r.status, r.body.code])).toEqual([
      [400, 'validation_failed'],
      [400, 'validation_failed'],
      [400, 'validation_failed'],
      [400, 'validation_failed'],
      [400, 'validation_failed'],
      [403, 'forbidden'],
      [403, 'forbidden'],
      [404, 'not_found'],
      [404, 'not_found'],
    ]);
    expect(
      (await http('GET', `${A()}/transport/service-promises`, { token: admin })).body.servicePromises,
    ).toEqual(PROMISES);
  });

  it('a reply contradicting a promise does not close: refused with its defect, on the record; one keeping it goes', async () => {
    const no = await createTicket(p, operator);
    const act = (action: string, body?: unknown) =>
      http('POST', `${p.urls.dispatch}/api/v1/tickets/${no}/${action}`, { token: clerk, body });
    await eventually('the ticket on the desk', async () => (await act('sign')).status === 200);
    const broken = await act('reply', { content: BROKEN });
    expect([broken.status, broken.body.code]).toEqual([422, 'reply_not_closable']);
    expect(broken.body.defects.map((d: { code: string }) => d.code)).toEqual(['contradicts_service_promise']);
    expect(broken.body.defects[0].message).toContain('24小时内上门维修');
    // More time than promised contradicts it too (amendment closure-v3).
    const late = await act('reply', { content: LATE });
    expect([late.status, late.body.code]).toEqual([422, 'reply_not_closable']);
    expect(late.body.defects).toEqual([
      {
        code: 'contradicts_service_promise',
        message: '答复称"3个工作日内上门维修"，与本单位服务承诺"24小时内上门维修"相悖，不能办结',
      },
    ]);
    const good = await act('reply', { content: GOOD_REPLY });
    expect([good.status, good.body.status]).toEqual([200, 'replied']);
    const history = (await http('GET', `${p.urls.intake}/api/v1/tickets/${no}`, { token: operator })).body
      .history as { type: string; data: { defects?: string[] } }[];
    expect(history.filter((e) => e.type === 'ticket.reply_rejected').map((e) => e.data.defects)).toEqual([
      ['contradicts_service_promise'],
      ['contradicts_service_promise'],
    ]);
  });
});
