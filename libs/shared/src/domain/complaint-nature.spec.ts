import { COMPLAINT_NATURE_LABELS } from './glossary';
import { natureAtIntake, natureCoordinationProblem, routeOf } from './routing';
import type { CatalogEntry } from './routing';
import { COMPLAINT_NATURES } from './vocabulary';

describe('complaints about officials, classed by nature (GS 效能投诉 / 纠风 / 廉政举报)', () => {
  it('is dispatched to the body for its nature, or not accepted: never answered at intake', () => {
    for (const d of ['direct_answer', 'three_way_call', 'special_line', 'special_window'])
      for (const nature of ['integrity', 'conduct', 'efficiency'] as const)
        expect(natureAtIntake('report', nature, undefined, 0, d)).toMatchObject({ ok: false });
    for (const d of ['dispatch', 'not_accepted'])
      expect(natureAtIntake('report', 'integrity', undefined, 0, d)).toMatchObject({ ok: true });
    expect(natureAtIntake('complaint', undefined, undefined, 0, 'three_way_call')).toMatchObject({
      ok: true,
    });
  });

  it('only a complaint or a report has a nature', () => {
    expect(natureAtIntake('complaint', 'conduct', undefined)).toEqual({
      ok: true,
      complaintNature: 'conduct',
      confidential: false,
    });
    expect(natureAtIntake('report', 'integrity', undefined)).toMatchObject({ ok: true });
    for (const kind of ['consultation', 'help_request', 'suggestion', 'praise', 'other'] as const)
      expect(natureAtIntake(kind, 'efficiency', undefined)).toEqual({
        ok: false,
        reason: `complaintNature is for a complaint or a report, not a ${kind}`,
      });
    // Without a nature, anything goes as before.
    expect(natureAtIntake('praise', undefined, true)).toEqual({
      ok: true,
      complaintNature: null,
      confidential: true,
    });
  });

  it('an integrity report is confidential by default; the operator may record that the complainant waived it', () => {
    expect(natureAtIntake('report', 'integrity', undefined)).toMatchObject({ confidential: true });
    expect(natureAtIntake('report', 'integrity', false)).toMatchObject({ confidential: false });
    expect(natureAtIntake('complaint', 'efficiency', undefined)).toMatchObject({ confidential: false });
    expect(natureAtIntake('complaint', 'efficiency', true)).toMatchObject({ confidential: true });
  });

  it('an integrity report has no assisting unit: it may concern that unit’s own staff', () => {
    expect(natureAtIntake('report', 'integrity', undefined, 1)).toEqual({
      ok: false,
      reason: 'an integrity report goes to the discipline body alone, with no assisting unit',
    });
    expect(natureAtIntake('complaint', 'conduct', undefined, 2)).toMatchObject({ ok: true });
  });

  it('goes to the body for its nature, whatever the matter; without one, to the centre by hand', () => {
    const entry: CatalogEntry = {
      id: 'm-road',
      category: 'road',
      regionCode: null,
      unitId: 'transport',
      priority: 1,
    };
    const transport = { id: 'transport' };
    const discipline = { id: 'discipline' };
    expect(routeOf('integrity', discipline, entry, transport)).toEqual({
      unit: discipline,
      catalogEntryId: null,
    });
    expect(routeOf('integrity', null, entry, transport)).toBeNull();
    expect(routeOf(null, discipline, entry, transport)).toEqual({
      unit: transport,
      catalogEntryId: 'm-road',
    });
    expect(routeOf(null, null, null, null)).toBeNull();
  });

  it('every nature has its Chinese name', () => {
    expect(COMPLAINT_NATURES.map((n) => COMPLAINT_NATURE_LABELS[n])).toEqual([
      '效能投诉',
      '纠风',
      '廉政举报',
    ]);
  });
});

describe('the centre’s coordination of a complaint about officials', () => {
  it('keeps it with the body for its nature, an integrity report alone', () => {
    expect(natureCoordinationProblem(null, null, 'housing', 3)).toBeNull();
    expect(natureCoordinationProblem('efficiency', 'efficiency-office', 'efficiency-office', 2)).toBeNull();
    expect(natureCoordinationProblem('efficiency', 'efficiency-office', 'housing', 0)).toMatch(
      /body for its nature/,
    );
    expect(natureCoordinationProblem('integrity', 'discipline', 'housing', 0)).toMatch(/body for its nature/);
    expect(natureCoordinationProblem('integrity', 'discipline', 'discipline', 1)).toMatch(
      /no assisting unit/,
    );
    expect(natureCoordinationProblem('integrity', 'discipline', 'discipline', 0)).toBeNull();
    // No body for the nature in this city: the centre names the unit, still alone for integrity.
    expect(natureCoordinationProblem('conduct', null, 'housing', 1)).toBeNull();
    expect(natureCoordinationProblem('integrity', null, 'housing', 1)).toMatch(/no assisting unit/);
  });
});
