import { ATTACHMENT_MAX_BYTES } from '@hotline/shared';
import { charsetRefusal, fileBodyRefusal } from './bootstrap';

describe('a file body is refused before it is read', () => {
  const headers = (h: Record<string, string> = {}) => ({
    'content-type': 'application/pdf',
    authorization: 'Bearer x.y.z',
    'content-length': '1024',
    ...h,
  });

  it('takes a file with a token, of a size allowed, on a route that takes files', () => {
    expect(fileBodyRefusal({ headers: headers(), takesFiles: true })).toBeNull();
    expect(
      fileBodyRefusal({
        headers: headers({ 'content-length': String(ATTACHMENT_MAX_BYTES) }),
        takesFiles: true,
      }),
    ).toBeNull();
  });

  it('refuses a route that takes JSON, a caller without a token and a declared size over the limit', () => {
    expect(fileBodyRefusal({ headers: headers(), takesFiles: false })?.code).toBe('unsupported_media_type');
    const { authorization: _a, ...anonymous } = headers();
    expect(fileBodyRefusal({ headers: anonymous, takesFiles: true })?.code).toBe('unauthenticated');
    expect(
      fileBodyRefusal({ headers: headers({ authorization: 'Basic eDp5' }), takesFiles: true })?.code,
    ).toBe('unauthenticated');
    expect(
      fileBodyRefusal({
        headers: headers({ 'content-length': String(ATTACHMENT_MAX_BYTES + 1) }),
        takesFiles: true,
      })?.code,
    ).toBe('payload_too_large');
  });
});

describe('a body in another character set than UTF-8 is refused before it is read', () => {
  it.each([
    undefined,
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8"',
    'application/json; charset=utf8',
    'application/pdf',
    'Application/PDF; charset=binary',
    'image/png; charset=utf-16',
  ])('takes %j', (type) => expect(charsetRefusal(type)).toBeNull());
  it.each([
    'application/json; charset=utf-16',
    'application/json; charset=GBK',
    'application/json; charset=iso-8859-1',
    'application/json; charset=',
    'application/merge-patch+json; charset=utf-16',
  ])('refuses %j (415)', (type) => expect(charsetRefusal(type)?.code).toBe('unsupported_media_type'));
});
