import {
  correctionEventId,
  sha1,
  successorEventId,
  TICKET_EVENT_ID_NAMESPACE,
  transitionEventIds,
  uuidV5,
} from './event-ids';

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('sha1 and uuidV5', () => {
  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
  ])('digests %j as FIPS 180-4 says', (text, digest) => {
    expect(hex(sha1(ascii(text)))).toBe(digest);
  });

  // Expected values computed with Node's crypto (createHash('sha1'), RFC 9562 §5.5): names of
  // every length around SHA-1's 64-byte blocks and their padding, and non-ASCII text.
  it.each([
    [0, '4ec7e7a3-5195-5bcf-af5b-06ae9122067b'],
    [1, '1ea96dbf-7c34-5eb8-9773-5d5f47c0cee5'],
    [39, '0fa13793-c5dd-5367-a28f-4b8d74642d97'],
    [40, '8b87fbc0-61cd-5388-8cdc-0a88370a9ce5'],
    [47, '008b5d84-1b6a-501d-9580-71fefb1584d8'],
    [48, 'a0bfbb10-097d-5ae1-bf94-1d4a019c2747'],
    [55, 'a6be400a-0815-5022-8d57-076160fea015'],
    [56, '27485293-5cc0-5f55-9e63-eb5009ef14db'],
    [63, '669f3b62-cd96-5609-9b49-9ff838060a3a'],
    [64, 'bfb2a83d-d64d-5a11-a1ea-f1eea2bd4213'],
    [103, '9bb11cdb-188b-56de-a0d6-f40a378d235e'],
    [104, '29441645-1888-5481-9f52-d4ea3b7c58a1'],
    [119, '503284ec-4d95-5de9-ba84-de1e8b6d7974'],
    [120, '5619cbee-0ceb-5b10-b140-7bb089331cde'],
    [127, '7f628d55-f24d-53dc-a2b3-7f493f3f10da'],
    [128, '03970166-faad-5779-ae9d-cb6456cfcc42'],
  ])('names %i bytes as Node crypto does', (n, uuid) => {
    expect(uuidV5(TICKET_EVENT_ID_NAMESPACE, 'x'.repeat(n))).toBe(uuid);
  });

  it.each([
    ['工单 20261203000001', '249e5c67-3b73-5500-bcd3-acd0ce843513'],
    ['emoji 😀 and é', '15795330-586b-594b-bfda-8d9e3377b2c7'],
  ])('names %j (UTF-8) as Node crypto does', (name, uuid) => {
    expect(uuidV5(TICKET_EVENT_ID_NAMESPACE, name)).toBe(uuid);
  });

  it('gives the RFC 9562 example: www.example.com in the DNS namespace', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => uuidV5('not-a-uuid', 'x')).toThrow(/not a UUID/);
  });
});

describe('transitionEventIds', () => {
  const runId = '01a23a87-af13-708d-a882-6ef25eb8d577';
  const scope = { runId, serial: 3, updateId: 'upd-1' };

  it('gives the same ids when the same transition is tried again (update sent again, task replayed)', () => {
    expect(transitionEventIds(scope, 3)).toEqual(transitionEventIds({ ...scope }, 3));
    expect(transitionEventIds(scope, 2)).toEqual(transitionEventIds(scope, 3).slice(0, 2));
  });

  it('gives another transition at the same place other ids: another update, a timer', () => {
    const lost = transitionEventIds(scope, 2);
    const other = transitionEventIds({ ...scope, updateId: 'upd-2' }, 2);
    const timer = transitionEventIds({ ...scope, updateId: null }, 2);
    expect(new Set([...lost, ...other, ...timer]).size).toBe(6);
  });

  it('gives the lost update, sent again after another transition, ids of its own', () => {
    const lost = transitionEventIds(scope, 1);
    const again = transitionEventIds({ ...scope, serial: 4 }, 1);
    expect(again).not.toEqual(lost);
  });

  it('differs between runs and between events of one transition, and is a valid version-5 UUID', () => {
    const ids = [
      ...transitionEventIds(scope, 4),
      ...transitionEventIds({ ...scope, runId: '01a23a87-d280-7054-a329-d1e84afc60fb' }, 4),
    ];
    expect(new Set(ids).size).toBe(8);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('cannot be made to clash by an update id that looks like a timer or holds a separator', () => {
    const timer = transitionEventIds({ ...scope, updateId: null }, 1);
    expect(transitionEventIds({ ...scope, updateId: '-' }, 1)).not.toEqual(timer);
    // "3/u:a/0" with update "a/0"… would read as another event's place; the index is last, so
    // update "a" event 1 is ".../u:a/1" and update "a/1" event 0 is ".../u:a/1/0".
    expect(transitionEventIds({ ...scope, updateId: 'a/1' }, 1)[0]).not.toBe(
      transitionEventIds({ ...scope, updateId: 'a' }, 2)[1],
    );
  });
});

describe('correction and successor ids', () => {
  const [a, b, c] = transitionEventIds(
    { runId: '01a23a87-d27f-7e0c-8e37-8d4a30c1a4a1', serial: 2, updateId: 'sign:x' },
    3,
  );

  it('names one correction per set of voided events, in whatever order they are listed', () => {
    expect(correctionEventId([a, b])).toBe(correctionEventId([b, a]));
    expect(correctionEventId([a, b])).not.toBe(correctionEventId([a]));
    expect(correctionEventId([a, b])).not.toBe(correctionEventId([a, c]));
    expect(correctionEventId([a])).toBe(uuidV5(TICKET_EVENT_ID_NAMESPACE, `correction/${a}`));
  });

  it('gives a voided id a successor of its own for each correction that voids it', () => {
    const first = successorEventId(a, correctionEventId([a]));
    expect(successorEventId(a, correctionEventId([a]))).toBe(first);
    expect(first).not.toBe(a);
    expect(successorEventId(a, correctionEventId([a, b]))).not.toBe(first);
    expect(successorEventId(first, correctionEventId([first]))).not.toBe(first);
  });
});
