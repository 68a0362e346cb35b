import { createHttpApp } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { SupervisionModule } from './app.module';

export function createSupervisionApp(config: PlatformConfig) {
  return createHttpApp(SupervisionModule.forRoot(config), config, {
    title: '12345 Supervision API',
    description:
      'Supervision of units: facts per ticket from the event stream, late signs, per-unit overview.',
    port: config.ports.supervision,
    service: 'supervision',
  });
}
