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
  it('are the searches by phone, and by a word holding 7 or more digits or an ID number', () => {
    expect(searchesPersonalData({ complainantPhone: '13912345678' })).toBe(true);
    expect(searchesPersonalData({ words: ['噪音', '13912345678'] })).toBe(true);
    expect(searchesPersonalData({ words: ['身份证32010219900101777X'] })).toBe(true);
    expect(searchesPersonalData({ words: ['1234567'] })).toBe(true);
    expect(searchesPersonalData({ words: ['噪音', '128号', '123456'] })).toBe(false);
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
});

describe('a phone as shown masked, and as intake takes it', () => {
  it('masks the number as it is read, without the country code', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone('+8613800138000')).toBe('138****8000');
    expect(maskPhone('008613800138002')).toBe('138****8002');
    expect(maskPhone('025-84561234')).toBe('025*****1234');
    expect(maskPhone('12345')).toBe('*****');
  });
  it('takes 5 to 20 digits with an optional + and hyphens, not hyphens alone', () => {
    for (const ok of ['13800138000', '+86-138-0013-8000', '025-84561234', '12345'])
      expect(isPhoneNumber(ok)).toBe(true);
    for (const bad of ['-----', '+-----', '1234', '1'.repeat(21), '138 0013 8000', '+', '12a45'])
      expect(isPhoneNumber(bad)).toBe(false);
  });
});
