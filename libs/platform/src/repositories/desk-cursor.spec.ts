import { decodeDeskCursor, encodeDeskCursor } from './desk-cursor';

describe('the desk cursor', () => {
  const c = {
    sort: 'deadline' as const,
    due: '2026-12-07T10:00:00.123456Z',
    at: '2026-12-07T09:00:00.000001Z',
    ticketNo: '20261207000001',
  };

  it('reads back what it wrote, for the same order only', () => {
    expect(decodeDeskCursor(encodeDeskCursor(c), 'deadline')).toEqual(c);
    expect(decodeDeskCursor(encodeDeskCursor({ ...c, due: null }), 'deadline')).toEqual({ ...c, due: null });
    expect(decodeDeskCursor(encodeDeskCursor(c), 'dispatched')).toBeNull();
  });

  it.each([
    '',
    'not a cursor',
    'e30',
    Buffer.from('["deadline",null,"2026-12-07","20261207000001"]').toString('base64url'),
    Buffer.from('["deadline",null,"2026-12-07T09:00:00.000001Z","1 OR 1=1"]').toString('base64url'),
    Buffer.from('["deadline",5,"2026-12-07T09:00:00.000001Z","20261207000001"]').toString('base64url'),
    'A'.repeat(301),
  ])('refuses what it did not write: %j', (text) => {
    expect(decodeDeskCursor(text, 'deadline')).toBeNull();
  });
});
