import { applicationProblem, entryAfter } from './applications';

describe('matter catalog applications (承办事项库, RULES §5)', () => {
  const mine = { unitId: 'transport', active: true };

  it('an addition names the matter and its category, and no entry', () => {
    expect(
      applicationProblem(
        { action: 'add', name: '共享单车停放', category: 'shared-bikes', reason: '新增职责' },
        'transport',
        null,
      ),
    ).toBeNull();
    expect(
      applicationProblem({ action: 'add', category: 'shared-bikes', reason: '新增职责' }, 'transport', null),
    ).toMatchObject({ code: 'validation_failed' });
    expect(
      applicationProblem(
        { action: 'add', name: '共享单车', category: 'Shared Bikes', reason: '新增职责' },
        'transport',
        null,
      ),
    ).toMatchObject({ code: 'validation_failed' });
    expect(
      applicationProblem(
        { action: 'add', name: '共享单车', category: 'bikes', entryId: 'm-road', reason: '新增' },
        'transport',
        null,
      ),
    ).toMatchObject({ code: 'validation_failed' });
    expect(
      applicationProblem(
        { action: 'add', name: '共享单车', category: 'bikes', reason: ' ' },
        'transport',
        null,
      ),
    ).toMatchObject({ code: 'validation_failed' });
  });

  it('a change or a removal names one of the unit’s own entries, still in the catalog', () => {
    const change = { action: 'change' as const, entryId: 'm-road', priority: 50, reason: '调整优先级' };
    expect(applicationProblem(change, 'transport', mine)).toBeNull();
    expect(applicationProblem(change, 'housing', mine)).toMatchObject({ code: 'not_found' });
    expect(applicationProblem(change, 'transport', { ...mine, active: false })).toMatchObject({
      code: 'not_found',
    });
    expect(applicationProblem(change, 'transport', null)).toMatchObject({ code: 'not_found' });
    expect(applicationProblem({ action: 'remove', reason: '职责划转' }, 'transport', mine)).toMatchObject({
      code: 'validation_failed',
    });
  });

  it('an approved change keeps what it does not name; an addition starts at priority 100, city-wide', () => {
    const entry = { name: '道路破损维修', category: 'road', regionCode: null, priority: 100 };
    expect(entryAfter({ action: 'change', entryId: 'm-road', priority: 50, reason: 'x' }, entry)).toEqual({
      ...entry,
      priority: 50,
    });
    expect(
      entryAfter({ action: 'change', entryId: 'm-road', regionCode: 'gulou', reason: 'x' }, entry),
    ).toEqual({ ...entry, regionCode: 'gulou' });
    expect(
      entryAfter({ action: 'add', name: ' 共享单车停放 ', category: 'shared-bikes', reason: 'x' }, null),
    ).toEqual({
      name: '共享单车停放',
      category: 'shared-bikes',
      regionCode: null,
      priority: 100,
    });
  });
});
