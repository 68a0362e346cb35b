import { createHttpApp } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { DispatchModule } from './app.module';

export function createDispatchApp(config: PlatformConfig) {
  return createHttpApp(DispatchModule.forRoot(config), config, {
    title: '12345 Dispatch API',
    description:
      "A unit's desk: the tickets dispatched to it, sign and reply. Tokens from intake's /api/v1/auth/login.",
    port: config.ports.dispatch,
    service: 'dispatch',
  });
}
