import { detailsOf, unitsOn } from './details';
import { decideSubDecline, decideSubDispatch, decideSubSign } from './sub-dispatch';
import { at, clerk, dispatched, HOUR, intake, LIGHTS, next, signed, T0 } from './testing.fixtures';

describe('detailsOf (what an administrator reads in the Temporal Web UI)', () => {
  it('names the ticket, its status, its unit, the next due time and its policy', () => {
    const d = detailsOf(dispatched());
    expect(d.split('\n\n')).toEqual([
      '**工单** SQ-2026-0001',
      '**状态** 已派单',
      '**承办单位** 市政工程处',
      expect.stringMatching(/^\*\*下一时限\*\* \d{4}-/),
      '**时限政策** SQ v1',
    ]);
  });

  it('names the assisting units, and the chain of sub-units the ticket was passed down to', () => {
    const s = signed(dispatched([LIGHTS]));
    expect(detailsOf(s)).toContain('**协办单位** 路灯管理处');
    const dueAt = new Date(T0 + 3 * HOUR).toISOString();
    const street = next(
      decideSubDispatch(
        s,
        {
          unitId: 'roads',
          subUnit: { unitId: 'roads-east', unitName: '东区养护所' },
          subTicketNo: null,
          note: '请办理',
          dueAt,
          actor: clerk(),
        },
        at(T0 + HOUR),
      ),
    );
    const signDueAt = new Date(T0 + 2 * HOUR).toISOString();
    expect(detailsOf(street)).toContain(
      `**下级承办** 东区养护所（待签收，签收时限 ${signDueAt}，限 ${dueAt}）`,
    );
    const taken = next(
      decideSubSign(street, { unitId: 'roads-east', actor: clerk('roads-east') }, at(T0 + HOUR)),
    );
    const team = next(
      decideSubDispatch(
        taken,
        {
          unitId: 'roads-east',
          subUnit: { unitId: 'roads-east-1', unitName: '一班' },
          subTicketNo: null,
          note: '请办理',
          actor: clerk('roads-east'),
        },
        at(T0 + HOUR),
      ),
    );
    expect(detailsOf(team)).toContain(
      `**下级承办** 东区养护所（已签收，限 ${dueAt}） → 一班（待签收，签收时限 ${signDueAt}）`,
    );
    expect(detailsOf(signed())).not.toContain('下级承办');
  });
});

describe("unitsOn (the search attribute UnitIds: every unit on the ticket's desks)", () => {
  const pass = (s: ReturnType<typeof signed>, hub: string, sub: string) =>
    next(
      decideSubDispatch(
        s,
        {
          unitId: hub,
          subUnit: { unitId: sub, unitName: sub },
          subTicketNo: null,
          note: '请办理',
          actor: clerk(hub),
        },
        at(T0 + HOUR),
      ),
    );

  it('names the lead and the assisting units once dispatched; none before', () => {
    expect(unitsOn(next(intake({ route: null })))).toEqual([]);
    expect(unitsOn(dispatched([LIGHTS]))).toEqual(['roads', 'lights']);
  });

  it('names each sub-unit the ticket was passed down to, at every level, and drops one that declined', () => {
    const street = pass(signed(), 'roads', 'roads-east');
    expect(unitsOn(street)).toEqual(['roads', 'roads-east']);
    const taken = next(
      decideSubSign(street, { unitId: 'roads-east', actor: clerk('roads-east') }, at(T0 + HOUR)),
    );
    const team = pass(taken, 'roads-east', 'roads-east-1');
    expect(unitsOn(team)).toEqual(['roads', 'roads-east', 'roads-east-1']);
    const declined = next(
      decideSubDecline(
        team,
        { unitId: 'roads-east-1', reason: '不属于本班', actor: clerk('roads-east-1') },
        at(T0 + HOUR),
      ),
    );
    expect(unitsOn(declined)).toEqual(['roads', 'roads-east']);
  });
});
