import { createHttpApp } from '@hotline/platform';
import type { PlatformConfig } from '@hotline/shared';
import { EvaluationModule } from './app.module';

export function createEvaluationApp(config: PlatformConfig) {
  return createHttpApp(EvaluationModule.forRoot(config), config, {
    title: '12345 Evaluation API',
    description: 'Callbacks and expert evaluation of closed tickets.',
    port: config.ports.evaluation,
    service: 'evaluation',
  });
}
