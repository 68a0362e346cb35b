import { ROLES } from '../domain/vocabulary';
import type { Role } from '../domain/vocabulary';
import {
  canReadPersonalDataLog,
  canRevealPersonalData,
  maskedComplainantView,
  maskName,
  maskPhone,
  normalisePhone,
  takesSms,
  isPhoneNumber,
  maskPersonalNumbers,
  maskNamesIn,
  maskKnownNumbersIn,
  searchesPersonalData,
} from './personal-data';

const data = { complainantName: '张三丰', complainantPhone: '13800138000' };
const MASKED = { complainantName: '张**', complainantPhone: '138****8000' };
const NOTHING = { complainantName: null, complainantPhone: null };

/** Every role, for a plain and a confidential (保密) complainant. */
const EXPECTED: Record<
  Role,
  {
    plain: typeof MASKED | typeof NOTHING;
    confidential: typeof MASKED | typeof NOTHING;
    reveal: boolean;
    audit: boolean;
  }
> = {
  operator: { plain: MASKED, confidential: MASKED, reveal: true, audit: false },
  reviewer: { plain: MASKED, confidential: MASKED, reveal: true, audit: false },
  supervisor: { plain: MASKED, confidential: MASKED, reveal: true, audit: false },
  admin: { plain: MASKED, confidential: MASKED, reveal: true, audit: false },
  unit_clerk: { plain: MASKED, confidential: NOTHING, reveal: false, audit: false },
  evaluator: { plain: NOTHING, confidential: NOTHING, reveal: false, audit: false },
  auditor: { plain: NOTHING, confidential: NOTHING, reveal: false, audit: true },
  forum: { plain: NOTHING, confidential: NOTHING, reveal: false, audit: false },
};

describe('personal data: who sees what', () => {
  it('covers every role', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ROLES].sort());
  });
  for (const role of ROLES) {
    const e = EXPECTED[role];
    it(`${role}: masked by default, reveal ${e.reveal ? 'allowed' : 'refused'}, log ${e.audit ? 'readable' : 'refused'}`, () => {
      expect(maskedComplainantView({ role }, { ...data, confidential: false })).toEqual(e.plain);
      expect(maskedComplainantView({ role }, { ...data, confidential: true })).toEqual(e.confidential);
      expect(canRevealPersonalData({ role })).toBe(e.reveal);
      expect(canReadPersonalDataLog({ role })).toBe(e.audit);
    });
  }
  it('no role ever sees the plain values in a list or a detail', () => {
    for (const role of ROLES)
      for (const confidential of [false, true]) {
        const v = maskedComplainantView({ role }, { ...data, confidential });
        expect(v.complainantName).not.toBe(data.complainantName);
        expect(v.complainantPhone).not.toBe(data.complainantPhone);
      }
  });
  it('keeps absent data absent', () => {
    expect(maskedComplainantView({ role: 'operator' }, { ...NOTHING, confidential: false })).toEqual(NOTHING);
  });
});

describe('masking', () => {
  it('masks a phone to its first three and last four digits', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('12345')).toBe('*****');
    expect(maskPhone(null)).toBeNull();
  });
  it('masks a name to its first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李*');
    expect(maskName('𠮷野家')).toBe('𠮷**');
    expect(maskName(null)).toBeNull();
  });
});

describe('blind index normalisation', () => {
  it('keeps digits only and drops the country code', () => {
    for (const p of [
      '13800138000',
      '138-0013-8000',
      '+86 138 0013 8000',
      '0086 13800138000',
      '(86)13800138000',
    ])
      expect(normalisePhone(p)).toBe('13800138000');
  });
  it('knows which numbers take SMS: mainland mobiles, with or without +86', () => {
    for (const p of ['13800138000', '+86 138 0013 8000', '0086 19912345678']) expect(takesSms(p)).toBe(true);
    for (const p of ['025-83331234', '12345', '12800138000', '1380013800', '110', '--'])
      expect(takesSms(p)).toBe(false);
  });
  it('keeps landlines with their area code', () => {
    expect(normalisePhone('025-8888 1234')).toBe('02588881234');
  });
  it('gives null when there is no digit', () => {
    expect(normalisePhone('--')).toBeNull();
  });
});

describe('searches that can tie a person to tickets', () => {
  it('are the searches by phone, and by words holding 7 or more digits all together', () => {
    expect(searchesPersonalData({ complainantPhone: '13912345678' })).toBe(true);
    expect(searchesPersonalData({ words: ['噪音', '13912345678'] })).toBe(true);
    expect(searchesPersonalData({ words: ['身份证32010219900101777X'] })).toBe(true);
    expect(searchesPersonalData({ words: ['1234567'] })).toBe(true);
    // A number split into pieces, each matched on its own, finds what the whole does.
    expect(searchesPersonalData({ words: ['139123', '48765'] })).toBe(true);
    expect(searchesPersonalData({ words: ['电话139', '1234', '8765'] })).toBe(true);
    expect(searchesPersonalData({ words: ['１３９１２３４８７６５'] })).toBe(true);
    expect(searchesPersonalData({ words: ['噪音', '128号', '2楼'] })).toBe(false);
    expect(searchesPersonalData({ words: ['123456'] })).toBe(false);
    expect(searchesPersonalData({})).toBe(false);
  });
});

describe('numbers that name a person, masked in free text', () => {
  it('masks an ID number, a bank card, a mobile and a landline; keeps dates, counts and ticket numbers', () => {
    expect(
      maskPersonalNumbers(
        '本人测试，身份证号320102199001017777，电话13912347771，座机025-84561234，卡号6222021234567890123',
      ),
    ).toBe(
      '本人测试，身份证号320102********7777，电话139****7771，座机025-****1234，卡号***************0123',
    );
    expect(maskPersonalNumbers('32010219900101777X')).toBe('320102********777X');
    const plain = '2026年12月7日更换地砖12块，工单20261207001039，门牌77号701室，费用1200元';
    expect(maskPersonalNumbers(plain)).toBe(plain);
  });
  it('masks a mobile written in groups, keeping the separators', () => {
    expect(maskPersonalNumbers('电话139 1234 5678。')).toBe('电话139 **** 5678。');
    expect(maskPersonalNumbers('电话139-8765-4321')).toBe('电话139-****-4321');
    expect(maskPersonalNumbers('电话139.8765.4321')).toBe('电话139.****.4321');
    expect(maskPersonalNumbers('电话139 12345678')).toBe('电话139 ****5678');
    expect(maskPersonalNumbers('电话1391 234 5678')).toBe('电话139* *** 5678');
  });
  it('masks a mobile after the country code, written together or in groups', () => {
    expect(maskPersonalNumbers('+86 139 1234 5678')).toBe('+86 139 **** 5678');
    expect(maskPersonalNumbers('+86-139-1234-5678')).toBe('+86-139-****-5678');
    expect(maskPersonalNumbers('0086 139 1234 5678')).toBe('0086 139 **** 5678');
    expect(maskPersonalNumbers('+8613912345678')).toBe('+86139****5678');
    expect(maskPersonalNumbers('008613912345678')).toBe('0086139****5678');
  });
  it('masks full-width digits, leaving the digits that stay as written', () => {
    expect(maskPersonalNumbers('电话１３９１２３４５６７８')).toBe('电话１３９****５６７８');
    expect(maskPersonalNumbers('电话１３９　１２３４　５６７８')).toBe('电话１３９　****　５６７８');
    expect(maskPersonalNumbers('电话１３９－１２３４－５６７８')).toBe('电话１３９－****－５６７８');
    expect(maskPersonalNumbers('身份证３２０１０２１９９００１０１７７７Ｘ')).toBe(
      '身份证３２０１０２********７７７Ｘ',
    );
    expect(maskPersonalNumbers('卡号６２２２０２１２３４５６７８９０１２３')).toBe(
      '卡号***************０１２３',
    );
  });
  it('masks an ID number written in groups, with a final digit or an X', () => {
    expect(maskPersonalNumbers('身份证 320102 19900101 7777')).toBe('身份证 320102 ******** 7777');
    expect(maskPersonalNumbers('身份证 320102-19900101-777X。')).toBe('身份证 320102-********-777X。');
    expect(maskPersonalNumbers('320102 1990 0101 7777')).toBe('320102 **** **** 7777');
  });
  it('masks a bank card written in groups: every digit but the last four', () => {
    expect(maskPersonalNumbers('卡号6222 0212 3456 7890 123')).toBe('卡号**** **** **** ***0 123');
    expect(maskPersonalNumbers('卡号6222-0212-3456-7890')).toBe('卡号****-****-****-7890');
  });
  it('masks a landline with its area code in groups or in brackets: the hidden digits as four stars', () => {
    expect(maskPersonalNumbers('(025)83451234')).toBe('(025)****1234');
    expect(maskPersonalNumbers('(025) 8345-1234')).toBe('(025) ****-1234');
    expect(maskPersonalNumbers('（025）83451234')).toBe('（025）****1234');
    expect(maskPersonalNumbers('（０２５）８３４５ １２３４')).toBe('（０２５）**** １２３４');
    expect(maskPersonalNumbers('025 8345 1234')).toBe('025 **** 1234');
    expect(maskPersonalNumbers('0755-8345-1234')).toBe('0755-****-1234');
    expect(maskPersonalNumbers('025-8451234')).toBe('025-****1234');
    expect(maskPersonalNumbers('02584561234')).toBe('025****1234');
    expect(maskPersonalNumbers('075583451234')).toBe('0755****1234');
  });
  it('leaves no digit of the hidden part of any of these forms', () => {
    const text =
      '电话139 1234 5678、139-8765-4321、+86 139 1234 5678、１３９１２３４５６７８，' +
      '身份证 320102 19900101 7777，座机(025)83451234，卡号6222 0212 3456 7890 123';
    const masked = maskPersonalNumbers(text);
    for (const hidden of ['1234 5678', '8765', '19900101', '8345', '6222', '0212', '3456', '１２３４'])
      expect(masked).not.toContain(hidden);
    expect(masked).toBe(
      '电话139 **** 5678、139-****-4321、+86 139 **** 5678、１３９****５６７８，' +
        '身份证 320102 ******** 7777，座机(025)****1234，卡号**** **** **** ***0 123',
    );
  });
  it('keeps dates, counts, money, house numbers and ticket numbers, however written', () => {
    for (const plain of [
      '2026-12-07',
      '2026.12.07',
      '2026 12 07',
      '2026年12月7日',
      '２０２６年１２月７日',
      '２０２６－１２－０７',
      '更换地砖12块，费用1200元，共 3 次',
      '费用1,200,000元',
      '门牌77号701室',
      '工单20261207001039',
      '工单 20261207001039 123',
      '工单２０２６１２０７００１０３９',
      '2026-12-07 09:30-17:00',
      '123 456',
    ])
      expect(maskPersonalNumbers(plain)).toBe(plain);
  });
  it('masks a number written after a date, and keeps the date', () => {
    expect(maskPersonalNumbers('2026-12-07 13912345678')).toBe('2026-12-07 139****5678');
    expect(maskPersonalNumbers('2026-12-07 139 1234 5678')).toBe('2026-12-07 139 **** 5678');
  });
});

describe('the numbers the record knows, masked in free text', () => {
  const phone = '13912345678';
  it('masks every digit of every occurrence, however written', () => {
    for (const [written, masked] of [
      ['13912345678', '***********'],
      ['139 1234 5678', '*** **** ****'],
      ['139-1234-5678', '***-****-****'],
      ['139.1234.5678', '***.****.****'],
      ['1391 234 5678', '**** *** ****'],
      ['1 3 9 1 2 3 4 5 6 7 8', '* * * * * * * * * * *'],
      ['１３９１２３４５６７８', '***********'],
      ['１３９－１２３４－５６７８', '***－****－****'],
      ['+86 139 1234 5678', '+86 *** **** ****'],
      ['+8613912345678', '+86***********'],
      ['0086 13912345678', '0086 ***********'],
      ['008613912345678', '0086***********'],
      ['86-139-1234-5678', '86-***-****-****'],
      ['＋８６ １３９１２３４５６７８', '＋８６ ***********'],
    ])
      expect(maskKnownNumbersIn(`来电${written}，再打${written}。`, [phone])).toBe(
        `来电${masked}，再打${masked}。`,
      );
  });
  it('finds a number stored with a country code, separators or full-width digits', () => {
    for (const stored of ['+86 139 1234 5678', '0086-139-1234-5678', '１３９１２３４５６７８'])
      expect(maskKnownNumbersIn('电话139 1234 5678', [stored])).toBe('电话*** **** ****');
  });
  it('masks a landline with or without its area code, in brackets or groups', () => {
    const landline = '025-83451234';
    expect(maskKnownNumbersIn('座机(025)83451234', [landline])).toBe('座机(***)********');
    expect(maskKnownNumbersIn('座机（０２５）８３４５ １２３４', [landline])).toBe('座机（***）**** ****');
    expect(maskKnownNumbersIn('座机025 8345 1234', [landline])).toBe('座机*** **** ****');
    expect(maskKnownNumbersIn('座机8345-1234', [landline])).toBe('座机****-****');
  });
  it('leaves other numbers, a number within longer digits, and looks for no short or absent number', () => {
    const plain = '工单20261207001039，电话13912345679，编号139123456789，2026-12-07';
    expect(maskKnownNumbersIn(plain, [phone])).toBe(plain);
    expect(maskKnownNumbersIn('拨打110和12345', ['110', '1234', null, undefined, '--'])).toBe(
      '拨打110和12345',
    );
    expect(maskKnownNumbersIn('无号码', [])).toBe('无号码');
  });
  it('goes before maskPersonalNumbers: the known phone is masked whole, other numbers as usual', () => {
    const text = '本人电话139 1234 5678，邻居电话13800138000';
    expect(maskPersonalNumbers(maskKnownNumbersIn(text, [phone]))).toBe(
      '本人电话*** **** ****，邻居电话138****8000',
    );
  });
});

describe('the names the record knows, masked in free text', () => {
  it('masks every occurrence, one star a character, and leaves other text', () => {
    expect(maskNamesIn('张三丰反映：张三丰家门口路面破损，联系张先生', ['张三丰'])).toBe(
      '***反映：***家门口路面破损，联系张先生',
    );
    expect(maskNamesIn('已联系欧阳娜娜女士', [' 欧阳娜娜 ', null, undefined])).toBe('已联系****女士');
  });

  it('looks for no name of one character, nor a blank one, and the longest first', () => {
    expect(maskNamesIn('张三来电', ['张', '', '   '])).toBe('张三来电');
    expect(maskNamesIn('王小明和王小明明', ['王小明', '王小明明'])).toBe('***和****');
    expect(maskNamesIn('无姓名', [])).toBe('无姓名');
  });

  it('finds the name with whitespace between its characters, keeping the whitespace', () => {
    expect(maskNamesIn('来电人赵 探针，赵探针，赵\u3000探  针，赵\n探针', ['赵探针'])).toBe(
      '来电人* **，***，*\u3000*  *，*\n**',
    );
    expect(maskNamesIn('𠮷 野家来电', ['𠮷野家'])).toBe('* **来电');
    expect(maskNamesIn('赵探 讨', ['赵探针'])).toBe('赵探 讨');
    expect(maskNamesIn('a.b来电 a+b', ['a+b'])).toBe('a.b来电 ***');
  });
});

describe('a phone as shown masked, and as intake takes it', () => {
  it('masks the number as it is read, without the country code', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskPhone('008613800138002')).toBe('138****8002');
    expect(maskPhone('025-84561234')).toBe('025****1234');
    // Separators are not digits: they hide nothing.
    expect(maskPhone('123-------4567')).toBe('1****67');
    expect(maskPhone('8333-1234')).toBe('83****34');
    // A short landline keeps at least four digits hidden, and shows no more than half.
    expect(maskPhone('83451234')).toBe('83****34');
    expect(maskPhone('8345123')).toBe('8****23');
    expect(maskPhone('0258456123')).toBe('025****123');
    expect(maskPhone('123456')).toBe('******');
    expect(maskPhone('12345')).toBe('*****');
  });
  it('takes 5 to 20 digits with an optional + and hyphens, not hyphens alone', () => {
    for (const ok of ['13800138000', '+86-138-0013-8000', '025-84561234', '12345'])
      expect(isPhoneNumber(ok)).toBe(true);
    for (const bad of ['-----', '+-----', '1234', '1'.repeat(21), '138 0013 8000', '+', '12a45'])
      expect(isPhoneNumber(bad)).toBe(false);
  });
});
