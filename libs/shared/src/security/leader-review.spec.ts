import { leaderReviewOf } from './leader-review';

describe('a unit leader’s review (经领导审核)', () => {
  const leader = { unitLeader: true, displayName: '王主任' };
  const clerk = { unitLeader: false, displayName: '湖南路街道经办人' };
  const open = { leaderReviewInPerson: false };
  const inPerson = { leaderReviewInPerson: true };

  it('a leader’s own account reviews in person in its own name; naming another leader is a review by name', () => {
    expect(leaderReviewOf(leader, inPerson, undefined)).toEqual({
      kind: 'review',
      leaderName: '王主任',
      byLeader: true,
    });
    expect(leaderReviewOf(leader, open, '  ')).toEqual({
      kind: 'review',
      leaderName: '王主任',
      byLeader: true,
    });
    expect(leaderReviewOf(leader, open, ' 王主任 ')).toEqual({
      kind: 'review',
      leaderName: '王主任',
      byLeader: true,
    });
    expect(leaderReviewOf(leader, open, ' 李书记 ')).toEqual({
      kind: 'review',
      leaderName: '李书记',
      byLeader: false,
    });
    // Where the unit wants its leader in person, another leader's name is not that.
    expect(leaderReviewOf(leader, inPerson, '李副区长')).toMatchObject({
      kind: 'refused',
      code: 'leader_review_required',
    });
  });

  it('a clerk records the leader’s decision by name, unless the unit wants its leader in person', () => {
    expect(leaderReviewOf(clerk, open, '王主任')).toEqual({
      kind: 'review',
      leaderName: '王主任',
      byLeader: false,
    });
    expect(leaderReviewOf(clerk, open, ' ')).toMatchObject({
      kind: 'refused',
      code: 'validation_failed',
      field: 'leaderName',
    });
    expect(leaderReviewOf({}, open, undefined)).toMatchObject({ kind: 'refused', code: 'validation_failed' });
    // A name of zero-width characters names nobody either.
    expect(leaderReviewOf(clerk, open, '\u200b\u3000')).toMatchObject({
      kind: 'refused',
      field: 'leaderName',
    });
    expect(leaderReviewOf(clerk, inPerson, '王主任')).toMatchObject({
      kind: 'refused',
      code: 'leader_review_required',
    });
  });

  it('a leader account without a name must name the leader', () => {
    expect(leaderReviewOf({ unitLeader: true, displayName: ' ' }, open, undefined)).toMatchObject({
      kind: 'refused',
      code: 'validation_failed',
    });
  });
});
