import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { SmsService } from './sms.service';

/**
 * The SMS provider's webhook is checked for its token before anything else runs: the body's
 * validation (a pipe, after guards) would otherwise tell a caller without the token which fields
 * and values it takes.
 */
@Injectable()
export class SmsWebhookGuard implements CanActivate {
  constructor(private readonly sms: SmsService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const token = request.headers['x-sms-webhook-token'];
    this.sms.checkWebhookToken(Array.isArray(token) ? undefined : token);
    return true;
  }
}
