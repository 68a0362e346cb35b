import { EventSchemaError } from '../domain/events';
import { EVALUATION_EVENT_TYPES, EVALUATION_EVENT_VERSION, parseEvaluationEvent } from './events';

const base = {
  id: '6f1c1d4e-0000-4000-8000-000000000001',
  version: EVALUATION_EVENT_VERSION,
  ticketNo: '20261123000001',
  occurredAt: '2026-11-23T08:00:00.000Z',
  actor: { kind: 'system' },
};

describe('evaluation events', () => {
  it('accepts a valid event of each kind it knows', () => {
    const expert = parseEvaluationEvent({
      ...base,
      type: 'evaluation.expert_verdict_recorded',
      data: { caseId: 'c1', unitId: 'u1', verdict: 'basically_satisfied', reason: '已整改到位' },
    });
    expect(expert.type).toBe('evaluation.expert_verdict_recorded');
    const vote = parseEvaluationEvent({
      ...base,
      type: 'evaluation.vote_closed',
      data: {
        unitId: 'u1',
        result: 'satisfied',
        posterVerdict: 'satisfied',
        posterDefaulted: true,
        others: { satisfied: 2, basically_satisfied: 0, unsatisfied: 1 },
      },
    });
    expect(vote.data).toMatchObject({ posterDefaulted: true });
  });

  it('names every bad field, and refuses an unknown version or type', () => {
    expect(() =>
      parseEvaluationEvent({
        ...base,
        version: 2,
        type: 'evaluation.expert_withdrawn',
        data: { caseId: 'c1', unitId: '', evaluatorId: 'e1', reason: 'bored' },
      }),
    ).toThrow(/version \(got 2, know 1\).*data\.unitId.*data\.reason/);
    expect(() => parseEvaluationEvent({ ...base, type: 'evaluation.guessed', data: {} })).toThrow(
      EventSchemaError,
    );
    expect(() => parseEvaluationEvent('nope')).toThrow(EventSchemaError);
    expect(() => parseEvaluationEvent({ ...base, id: 'e1' })).toThrow(/: id,/);
  });

  it('refuses a vote tally with a negative or fractional count', () => {
    for (const others of [
      { satisfied: -1, basically_satisfied: 0, unsatisfied: 0 },
      { satisfied: 1.5, basically_satisfied: 0, unsatisfied: 0 },
      null,
    ])
      expect(() =>
        parseEvaluationEvent({
          ...base,
          type: 'evaluation.vote_closed',
          data: {
            unitId: 'u1',
            result: 'satisfied',
            posterVerdict: 'satisfied',
            posterDefaulted: false,
            others,
          },
        }),
      ).toThrow(/data\.others/);
  });

  it('lists each type once, all in the evaluation namespace (past-tense facts)', () => {
    expect(new Set(EVALUATION_EVENT_TYPES).size).toBe(EVALUATION_EVENT_TYPES.length);
    for (const t of EVALUATION_EVENT_TYPES) expect(t).toMatch(/^evaluation\.[a-z_]+(ed|wn|_overdue)$/);
  });
});
