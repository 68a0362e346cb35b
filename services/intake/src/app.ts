import { createHttpApp } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { IntakeModule } from './app.module';

export function createIntakeApp(config: PlatformConfig) {
  return createHttpApp(IntakeModule.forRoot(config), config, {
    title: '12345 Intake API',
    description:
      'Operators register appeals as tickets; the ledger and each ticket’s whole history. Log in at /api/v1/auth/login.',
    port: config.ports.intake,
    service: 'intake',
  });
}
