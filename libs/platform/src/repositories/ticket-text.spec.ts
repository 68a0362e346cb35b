import { ticketTextCondition } from './ticket-text';

describe('ticketTextCondition', () => {
  it('asks nothing when no word and no respondent are given', () => {
    const params: unknown[] = ['x'];
    expect(ticketTextCondition('t.ticket_no', {}, params)).toBeNull();
    expect(ticketTextCondition('t.ticket_no', { words: [] }, params)).toBeNull();
    expect(params).toEqual(['x']);
  });
  it('asks every word of the text and the respondent, each a parameter after those already there', () => {
    const params: unknown[] = ['unit'];
    const sql = ticketTextCondition(
      'a.ticket_no',
      { words: ['噪音', "'; DROP"], respondent: '物业' },
      params,
    );
    expect(sql).toBe(
      'a.ticket_no IN (SELECT x.ticket_no FROM ticket.ticket_texts x WHERE ' +
        'x.bigrams @> ticket.bigrams_of($3) AND x.body ILIKE $2 AND ' +
        'x.bigrams @> ticket.bigrams_of($5) AND x.body ILIKE $4 AND x.respondent ILIKE $6)',
    );
    expect(params).toEqual(['unit', '%噪音%', '噪音', "%'; DROP%", "'; DROP", '%物业%']);
  });
  it('looks for a one-character word as itself only: it has no pair (𠮷 is one character)', () => {
    const params: unknown[] = [];
    expect(ticketTextCondition('t', { words: ['噪', '𠮷'] }, params)).toBe(
      't IN (SELECT x.ticket_no FROM ticket.ticket_texts x WHERE x.body ILIKE $1 AND x.body ILIKE $2)',
    );
  });
});
