import {
  concentratedEvents,
  crossHotSpots,
  hotEvents,
  hotSpots,
  persistentEvents,
  practiceTargets,
  reportPeriod,
} from '@hotline/shared';
import type { AnalysedTicket } from '@hotline/shared';
import type { SupervisionReport } from './report';
import { segmentTitle } from '@hotline/platform';

/**
 * A weekly report built the way the service will build one: titles segmented with jieba, the
 * analysis from libs/shared over the tickets. For the rendering tests; some names carry markup,
 * which every renderer must show as text.
 */
const HOSTILE_UNIT = '<img src=x onerror=alert(1)>街道办';

export function sampleTickets(): AnalysedTicket[] {
  const out: AnalysedTicket[] = [];
  let n = 0;
  const add = (createdAt: string, category: string, regionCode: string, unitId: string, title: string) =>
    out.push({
      ticketNo: `2026112${String(++n).padStart(7, '0')}`,
      createdAt,
      category,
      regionCode,
      unitId,
      keywords: segmentTitle(title),
    });
  const at = (base: string, hours: number) => new Date(Date.parse(base) + hours * 3_600_000).toISOString();
  // Week 48 (23–29 Nov 2026): six reports of flooding on one road within a day.
  const flooding = [
    '幸福路小区门口道路积水严重影响出行',
    '幸福路积水严重',
    '暴雨后道路积水无法通行',
    '小区门口积水多日未排',
    '幸福路积水严重',
    '道路积水影响出行',
  ];
  flooding.forEach((title, i) => add(at('2026-11-24T01:00:00Z', i * 2), 'road', '310101', 'u-roads', title));
  // Noise at night, two a week for weeks 46–48.
  for (const week of [0, 1, 2]) {
    for (const h of [0, 30]) {
      add(at('2026-11-09T14:00:00Z', week * 168 + h), 'noise', '310104', 'u-env', '工地夜间施工噪音扰民');
    }
  }
  add('2026-11-25T03:00:00Z', 'other', '310105', 'u-hostile', '<script>alert("标题")</script>路灯不亮');
  add('2026-11-26T05:00:00Z', 'road', '310105', 'u-roads', '人行道井盖缺失存在安全隐患');
  // Street lights out in a second district, another unit's: a cross-district, cross-department spot.
  add('2026-11-27T02:00:00Z', 'other', '310101', 'u-roads', '小区路灯不亮');
  return out;
}

export function sampleReport(): SupervisionReport {
  const tickets = sampleTickets();
  const period = reportPeriod('weekly', new Date('2026-11-26T08:00:00Z'));
  return {
    ...period,
    generatedAt: '2026-11-30T01:00:00.000Z',
    totals: { created: tickets.length, closed: 9, satisfied: 7, evaluated: 8 },
    targets: practiceTargets({
      city: { resolved: 5, unresolved: 2, satisfied: 7, evaluated: 8 },
      supervised: { resolved: 1, unresolved: 2, satisfied: 1, evaluated: 2 },
    }),
    hotSpots: hotSpots(tickets),
    // Five tickets, not the service's ten, so that the sample week has hot events (the flooding).
    hot: hotEvents(tickets, { from: period.from, to: period.to, minTickets: 5 }),
    concentrated: concentratedEvents(tickets),
    persistent: persistentEvents(tickets),
    crossHotSpots: crossHotSpots(tickets.filter((t) => t.createdAt >= period.from)),
    units: [
      {
        unitId: 'u-roads',
        unitName: '区市政管理中心',
        total: 7,
        closed: 6,
        lateSigns: 1,
        satisfactionRate: 0.8,
      },
      { unitId: 'u-env', unitName: '区生态环境局', total: 6, closed: 3, lateSigns: 0, satisfactionRate: 1 },
      {
        unitId: 'u-hostile',
        unitName: HOSTILE_UNIT,
        total: 1,
        closed: 0,
        lateSigns: 2,
        satisfactionRate: 0.5,
      },
      { unitId: 'u-none', unitName: '区住建委', total: 0, closed: 0, lateSigns: 0, satisfactionRate: null },
    ],
    names: {
      categories: { road: '道路设施', noise: '噪声污染', other: '<b>其他</b>' },
      regions: { '310101': '黄浦区', '310104': '徐汇区', '310105': '长宁区' },
    },
  };
}
