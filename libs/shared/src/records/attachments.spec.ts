import {
  ATTACHMENT_BYTES_PER_TICKET,
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_ACTION,
  ATTACHMENTS_PER_TICKET,
  attachmentNameProblem,
  attachmentUploadProblem,
  citationProblem,
  contentDisposition,
  defaultSharedWithUnits,
  maySeeAttachment,
  maySeeProgressNote,
  mediaTypeOf,
  sniffAttachmentType,
  withdrawalProblem,
} from './attachments';
import type { AttachmentViewer } from './attachments';

const PDF = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const HTML = Buffer.from('<html><script>alert(1)</script></html>');
const EMPTY = { count: 0, bytes: 0 };

describe('attachments: the types taken, by their bytes', () => {
  it('recognises PDF, JPEG and PNG by their first bytes, and nothing else', () => {
    expect(sniffAttachmentType(PDF)).toBe('application/pdf');
    expect(sniffAttachmentType(JPEG)).toBe('image/jpeg');
    expect(sniffAttachmentType(PNG)).toBe('image/png');
    expect(sniffAttachmentType(HTML)).toBeNull();
    expect(sniffAttachmentType(Buffer.from('%PDF'))).toBeNull(); // too short to be one
    expect(sniffAttachmentType(Buffer.alloc(0))).toBeNull();
  });

  it('reads a declared type without its parameters and case', () => {
    expect(mediaTypeOf('image/JPEG; charset=binary')).toBe('image/jpeg');
    expect(mediaTypeOf(undefined)).toBe('');
  });

  it('takes a file whose declared type is the one its bytes show', () => {
    expect(attachmentUploadProblem({ declaredType: 'application/pdf', bytes: PDF }, EMPTY)).toBeNull();
    expect(attachmentUploadProblem({ declaredType: 'image/png', bytes: PNG }, EMPTY)).toBeNull();
    expect(attachmentUploadProblem({ declaredType: 'Image/Jpeg', bytes: JPEG }, EMPTY)).toBeNull();
  });

  it('refuses a type not taken, a type that lies, bytes of no type, and an empty file', () => {
    const problem = (declaredType: string, bytes: Uint8Array) =>
      attachmentUploadProblem({ declaredType, bytes }, EMPTY)?.code;
    expect(problem('text/html', HTML)).toBe('unsupported_media_type');
    expect(problem('application/octet-stream', PDF)).toBe('unsupported_media_type');
    expect(problem('', PDF)).toBe('unsupported_media_type');
    expect(problem('image/png', JPEG)).toBe('unsupported_media_type');
    expect(problem('application/pdf', HTML)).toBe('unsupported_media_type');
    expect(problem('application/pdf', Buffer.alloc(0))).toBe('validation_failed');
  });

  it('takes a file of exactly the size limit, not one byte more', () => {
    const at = Buffer.alloc(ATTACHMENT_MAX_BYTES);
    PDF.copy(at);
    expect(attachmentUploadProblem({ declaredType: 'application/pdf', bytes: at }, EMPTY)).toBeNull();
    const over = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1);
    PDF.copy(over);
    expect(attachmentUploadProblem({ declaredType: 'application/pdf', bytes: over }, EMPTY)?.code).toBe(
      'payload_too_large',
    );
  });

  it('fills a ticket record to its count and its bytes, and no further', () => {
    const file = { declaredType: 'application/pdf', bytes: PDF };
    expect(attachmentUploadProblem(file, { count: ATTACHMENTS_PER_TICKET - 1, bytes: 0 })).toBeNull();
    expect(attachmentUploadProblem(file, { count: ATTACHMENTS_PER_TICKET, bytes: 0 })?.code).toBe(
      'attachment_limit_reached',
    );
    expect(
      attachmentUploadProblem(file, { count: 1, bytes: ATTACHMENT_BYTES_PER_TICKET - PDF.length }),
    ).toBeNull();
    expect(
      attachmentUploadProblem(file, { count: 1, bytes: ATTACHMENT_BYTES_PER_TICKET - PDF.length + 1 })?.code,
    ).toBe('attachment_limit_reached');
  });
});

describe('attachments: names', () => {
  it('keeps a Chinese name, up to 200 characters', () => {
    expect(attachmentNameProblem('现场照片（中山路128号）.jpg')).toBeNull();
    expect(attachmentNameProblem('审'.repeat(200))).toBeNull();
    expect(attachmentNameProblem('审'.repeat(201))).toMatch(/longer/);
  });

  it('refuses a path, a control character, NUL, a lone surrogate and an empty name', () => {
    for (const bad of ['../etc/passwd', 'a\\b.pdf', 'a\nb.pdf', 'a\u0000.pdf', 'a\ud800.pdf', '  ', '..'])
      expect(attachmentNameProblem(bad)).not.toBeNull();
  });

  it('refuses a name that would show as another: text-direction controls and invisible C1 controls', () => {
    for (const bad of [
      '\u202efdp.exe',
      'a\u202ab.pdf',
      'a\u2066b.pdf',
      'a\u200fb.pdf',
      'a\u061cb.pdf',
      'a\u0085b.pdf',
    ])
      expect(attachmentNameProblem(bad)).toMatch(/invisible control/);
    expect(attachmentNameProblem('整改照片（2026年12月）.pdf')).toBeNull();
  });

  it('refuses a name of invisible characters, or holding one; counts characters as a reader does', () => {
    for (const bad of ['\u200b', '\u200b \u200c', '\u3164\u3164'])
      expect(attachmentNameProblem(bad)).toBe('the file needs a name');
    for (const bad of ['报\u200d告.pdf', '照片\u2028.jpg', '报告\ufeff.pdf'])
      expect(attachmentNameProblem(bad)).toMatch(/invisible character/);
    expect(attachmentNameProblem('𠮷'.repeat(150))).toBeNull();
    expect(attachmentNameProblem('𠮷'.repeat(201))).toMatch(/longer/);
  });

  it('sends the name in ASCII and in full, with nothing that breaks the header', () => {
    expect(contentDisposition('现场照片.jpg')).toBe(
      `attachment; filename="____.jpg"; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg`,
    );
    const d = contentDisposition(`a"b\\c'(1).pdf`);
    expect(d).toBe(`attachment; filename="a_b_c'(1).pdf"; filename*=UTF-8''a%22b%5Cc%27%281%29.pdf`);
  });
});

describe('attachments: who sees a file', () => {
  const centre: AttachmentViewer = { kind: 'centre' };
  const lead: AttachmentViewer = { kind: 'unit', unitId: 'gulou-gov', role: 'lead', parentUnitId: null };
  const assisting: AttachmentViewer = {
    kind: 'unit',
    unitId: 'housing',
    role: 'assisting',
    parentUnitId: null,
  };
  const street: AttachmentViewer = {
    kind: 'unit',
    unitId: 'gulou-hunan',
    role: 'sub',
    parentUnitId: 'gulou-gov',
  };

  const centreShared = { unitId: null, sharedWithUnits: true };
  const centreOnly = { unitId: null, sharedWithUnits: false };
  const byLead = { unitId: 'gulou-gov', sharedWithUnits: false };
  const byAssisting = { unitId: 'housing', sharedWithUnits: false };
  const byStreet = { unitId: 'gulou-hunan', sharedWithUnits: false };
  const byOtherStreet = { unitId: 'gulou-ninghai', sharedWithUnits: false };

  it('the centre sees every file', () => {
    for (const a of [centreShared, centreOnly, byLead, byAssisting, byStreet])
      expect(maySeeAttachment(centre, a)).toBe(true);
  });

  it("a unit sees the centre's shared files, not the ones kept from the units", () => {
    for (const v of [lead, assisting, street]) {
      expect(maySeeAttachment(v, centreShared)).toBe(true);
      expect(maySeeAttachment(v, centreOnly)).toBe(false);
    }
  });

  it('the lead sees every unit’s; an assisting unit only its own', () => {
    expect([byLead, byAssisting, byStreet].map((a) => maySeeAttachment(lead, a))).toEqual([true, true, true]);
    expect([byLead, byAssisting, byStreet].map((a) => maySeeAttachment(assisting, a))).toEqual([
      false,
      true,
      false,
    ]);
  });

  it("a sub-unit sees its own and its hub's, not another sub-unit's", () => {
    expect([byLead, byStreet, byOtherStreet, byAssisting].map((a) => maySeeAttachment(street, a))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it("a street that is a hub in turn also sees its communities' files, not its hub's other streets'", () => {
    const hubStreet: AttachmentViewer = { ...street, subUnitIds: ['gulou-hunan-matai'] } as AttachmentViewer;
    const byCommunity = { unitId: 'gulou-hunan-matai', sharedWithUnits: false };
    expect(maySeeAttachment(street, byCommunity)).toBe(false);
    expect([byLead, byCommunity, byOtherStreet].map((a) => maySeeAttachment(hubStreet, a))).toEqual([
      true,
      true,
      false,
    ]);
    const community: AttachmentViewer = {
      kind: 'unit',
      unitId: 'gulou-hunan-matai',
      role: 'sub',
      parentUnitId: 'gulou-hunan',
    };
    // The community sees its hub's (the street's slip), not the district's above it.
    expect([byStreet, byLead, byCommunity].map((a) => maySeeAttachment(community, a))).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('progress notes are read as the files of the unit that wrote them', () => {
    const notesBy = ['gulou-gov', 'housing', 'gulou-hunan', 'gulou-ninghai'];
    expect(notesBy.map((u) => maySeeProgressNote(centre, u))).toEqual([true, true, true, true]);
    expect(notesBy.map((u) => maySeeProgressNote(lead, u))).toEqual([true, true, true, true]);
    expect(notesBy.map((u) => maySeeProgressNote(assisting, u))).toEqual([false, true, false, false]);
    expect(notesBy.map((u) => maySeeProgressNote(street, u))).toEqual([true, false, true, false]);
  });

  it('a confidential ticket keeps the centre’s files from the units unless the operator shares them', () => {
    expect(defaultSharedWithUnits(true)).toBe(false);
    expect(defaultSharedWithUnits(false)).toBe(true);
  });
});

describe('attachments: what an action may cite', () => {
  const mine = (id: string, ticketNo = 'T1', unitId: string | null = 'transport') => ({
    attachmentId: id,
    ticketNo,
    unitId,
  });

  it("cites the unit's own files on the ticket", () => {
    expect(citationProblem(['a', 'b'], [mine('a'), mine('b')], 'T1', 'transport')).toBeNull();
    expect(citationProblem([], [], 'T1', 'transport')).toBeNull();
  });

  it("refuses another ticket's, another unit's, the centre's, an unknown one and a repeat", () => {
    expect(citationProblem(['a'], [mine('a', 'T2')], 'T1', 'transport')).toMatch(/no attachment a/);
    expect(citationProblem(['a'], [mine('a', 'T1', 'housing')], 'T1', 'transport')).toMatch(/no attachment/);
    expect(citationProblem(['a'], [mine('a', 'T1', null)], 'T1', 'transport')).toMatch(/no attachment/);
    expect(citationProblem(['a'], [], 'T1', 'transport')).toMatch(/no attachment/);
    expect(citationProblem(['a', 'a'], [mine('a')], 'T1', 'transport')).toMatch(/twice/);
  });

  it(`cites at most ${ATTACHMENTS_PER_ACTION}`, () => {
    const ids = Array.from({ length: ATTACHMENTS_PER_ACTION + 1 }, (_, i) => `f${i}`);
    expect(
      citationProblem(
        ids,
        ids.map((i) => mine(i)),
        'T1',
        'transport',
      ),
    ).toMatch(/at most/);
    expect(
      citationProblem(
        ids.slice(1),
        ids.map((i) => mine(i)),
        'T1',
        'transport',
      ),
    ).toBeNull();
  });
});

describe('attachments: a wrong upload withdrawn', () => {
  const withdrawal = {
    reason: '误传了他人的身份证复印件',
    by: 'u1',
    role: 'unit_clerk',
    at: '2026-12-06T10:00:00.000Z',
  };
  const byStreet = { unitId: 'gulou-hunan', sharedWithUnits: true };

  it('whoever added it, or the centre, withdraws it; a unit not another’s or the centre’s; a reason is needed', () => {
    const street = { kind: 'unit' as const, unitId: 'gulou-hunan' };
    expect(withdrawalProblem(street, byStreet, '误传')).toBeNull();
    expect(withdrawalProblem({ kind: 'centre' }, byStreet, '误传')).toBeNull();
    expect(withdrawalProblem({ kind: 'centre' }, { unitId: null, sharedWithUnits: true }, '误传')).toBeNull();
    expect(withdrawalProblem(street, { unitId: null, sharedWithUnits: true }, '误传')).toMatchObject({
      code: 'action_rejected',
      detail: expect.stringMatching(/only the files it added/),
    });
    expect(withdrawalProblem(street, { unitId: 'gulou-gov', sharedWithUnits: false }, '误传')).toMatchObject({
      code: 'action_rejected',
    });
    expect(withdrawalProblem(street, byStreet, '  ')).toEqual({
      code: 'validation_failed',
      detail: 'say why the file is withdrawn',
      field: 'reason',
    });
  });

  it('once withdrawn, only the centre sees it: not the unit that added it, not the lead', () => {
    const withdrawn = { ...byStreet, withdrawal };
    const lead: AttachmentViewer = { kind: 'unit', unitId: 'gulou-gov', role: 'lead', parentUnitId: null };
    const street: AttachmentViewer = {
      kind: 'unit',
      unitId: 'gulou-hunan',
      role: 'sub',
      parentUnitId: 'gulou-gov',
    };
    expect(maySeeAttachment({ kind: 'centre' }, withdrawn)).toBe(true);
    expect(maySeeAttachment(lead, withdrawn)).toBe(false);
    expect(maySeeAttachment(street, withdrawn)).toBe(false);
    expect(maySeeAttachment(street, { ...byStreet, withdrawal: null })).toBe(true);
  });

  it('a withdrawn file is cited by no action', () => {
    const found = [{ attachmentId: 'a', ticketNo: 'T1', unitId: 'transport', withdrawal }];
    expect(citationProblem(['a'], found, 'T1', 'transport')).toMatch(
      /was withdrawn: 误传了他人的身份证复印件/,
    );
    expect(citationProblem(['a'], [{ ...found[0]!, withdrawal: null }], 'T1', 'transport')).toBeNull();
  });
});
