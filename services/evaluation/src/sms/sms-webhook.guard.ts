import { timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ProblemException } from '@hotline/platform';

/** The provider's webhook secret (`X-Sms-Webhook-Token`), compared in constant time; refused: 401. */
export function checkSmsWebhookToken(headers: Record<string, string | string[] | undefined>): void {
  const header = headers['x-sms-webhook-token'];
  const given = Array.isArray(header) ? undefined : header;
  const want = process.env.SMS_WEBHOOK_TOKEN ?? '';
  const ok =
    want.length >= 16 &&
    given !== undefined &&
    given.length === want.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(want));
  if (!ok) throw new ProblemException('unauthenticated', 'a valid X-Sms-Webhook-Token is required');
}

/**
 * The SMS provider's webhook is checked for its token before anything else runs: first before its
 * body is read (CheckedBeforeBody on the route: a caller without the token learns nothing of the
 * body's type or syntax), and again here, before the body's validation (a pipe, after guards),
 * which would otherwise tell a caller without the token which fields and values it takes, should
 * the route ever be served without the platform's hook.
 */
@Injectable()
export class SmsWebhookGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    checkSmsWebhookToken(request.headers);
    return true;
  }
}
