import type { PlatformConfig } from '@hotline/shared';
import { PlatformModule } from '../nest/platform.module';
import { PiiKeyError } from './pii-cipher';

describe('a service without personal-data keys', () => {
  it('refuses to boot, naming both variables', () => {
    const saved = { keys: process.env.HOTLINE_PII_KEYS, index: process.env.HOTLINE_PII_INDEX_KEY };
    delete process.env.HOTLINE_PII_KEYS;
    delete process.env.HOTLINE_PII_INDEX_KEY;
    try {
      const config = { jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 60 } as PlatformConfig;
      expect(() => PlatformModule.forRoot(config, 'intake')).toThrow(PiiKeyError);
      expect(() => PlatformModule.forRoot(config, 'intake')).toThrow(
        /HOTLINE_PII_KEYS is required[\s\S]*HOTLINE_PII_INDEX_KEY is required/,
      );
    } finally {
      if (saved.keys !== undefined) process.env.HOTLINE_PII_KEYS = saved.keys;
      if (saved.index !== undefined) process.env.HOTLINE_PII_INDEX_KEY = saved.index;
    }
  });
});
