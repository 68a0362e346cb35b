import { containsPattern } from './page';

describe('containsPattern', () => {
  it('wraps the term in % and escapes what ILIKE would read as a wildcard', () => {
    expect(containsPattern('井盖')).toBe('%井盖%');
    expect(containsPattern('100%_')).toBe('%100\\%\\_%');
    expect(containsPattern('a\\b')).toBe('%a\\\\b%');
  });
});
