import { createHmac, randomUUID } from 'node:crypto';
import { ConfigError, SMS_TEMPLATE_IDS } from '@hotline/shared';
import type { SmsTemplateId } from '@hotline/shared';
import type { SmsGateway } from './sms-sender';
import { LocalSmsGateway } from './sms-sender';

/**
 * Aliyun SMS (阿里云短信服务, dysmsapi `SendSms`, API version 2017-05-25), by its published RPC
 * request and signature scheme (signature version 1.0, HMAC-SHA1): the parameters sorted by name,
 * each name and value percent-encoded per RFC 3986 (space %20, `*` %2A, `~` kept), joined with `&`;
 * StringToSign = METHOD & %2F & percentEncode(that query); the key is the AccessKey secret + `&`;
 * the signature is the HMAC's base64.
 */
export function aliyunPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function aliyunSignature(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k])}`)
    .join('&');
  const stringToSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  /** The template code Aliyun gave each of the platform's templates. */
  templateCodes: Record<SmsTemplateId, string>;
  endpoint: string;
}

type Fetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
) => Promise<{
  ok: boolean;
  status: number;
  text(): Promise<string>;
}>;

export class AliyunSmsGateway implements SmsGateway {
  readonly provider = 'aliyun';

  constructor(
    private readonly config: AliyunSmsConfig,
    private readonly fetchFn: Fetch = fetch,
    private readonly now: () => Date = () => new Date(),
    private readonly nonce: () => string = randomUUID,
  ) {}

  /** The signed form body of a SendSms request (exposed for tests). */
  request(msg: {
    to: string;
    template: SmsTemplateId;
    params: Record<string, string>;
    id: string;
  }): Record<string, string> {
    const params: Record<string, string> = {
      AccessKeyId: this.config.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      OutId: msg.id,
      PhoneNumbers: msg.to,
      RegionId: 'cn-hangzhou',
      SignName: this.config.signName,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: this.nonce(),
      SignatureVersion: '1.0',
      TemplateCode: this.config.templateCodes[msg.template],
      TemplateParam: JSON.stringify(msg.params),
      Timestamp: this.now()
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    return { ...params, Signature: aliyunSignature('POST', params, this.config.accessKeySecret) };
  }

  async send(msg: { to: string; template: SmsTemplateId; params: Record<string, string>; id: string }) {
    const form = this.request(msg);
    const res = await this.fetchFn(this.config.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Object.entries(form)
        .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
        .join('&'),
    });
    const text = await res.text();
    let body: { Code?: string; Message?: string; BizId?: string } = {};
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: reported below */
    }
    if (!res.ok || body.Code !== 'OK')
      throw new Error(
        `aliyun SendSms: HTTP ${res.status} ${body.Code ?? ''} ${body.Message ?? text.slice(0, 200)}`,
      );
    return { providerMessageId: body.BizId ?? '' };
  }
}

/**
 * The gateway the environment names: `SMS_PROVIDER=local` (default: records only) or `aliyun`
 * (ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME, and a template code
 * per template: ALIYUN_SMS_TEMPLATE_CALLBACK, …_EVALUATOR_ASSIGNED, …; ALIYUN_SMS_ENDPOINT optional).
 * A missing setting stops the boot with the names of all that are missing.
 */
export function smsGatewayFromEnv(env: Record<string, string | undefined>): SmsGateway {
  const provider = env.SMS_PROVIDER ?? 'local';
  if (provider === 'local') return new LocalSmsGateway();
  if (provider !== 'aliyun') throw new ConfigError([`SMS_PROVIDER must be local or aliyun, not ${provider}`]);
  const missing: string[] = [];
  const need = (name: string) => {
    const v = env[name];
    if (!v) missing.push(name);
    return v ?? '';
  };
  const templateCodes = Object.fromEntries(
    SMS_TEMPLATE_IDS.map((id) => [id, need(`ALIYUN_SMS_TEMPLATE_${id.toUpperCase()}`)]),
  ) as Record<SmsTemplateId, string>;
  const config: AliyunSmsConfig = {
    accessKeyId: need('ALIYUN_SMS_ACCESS_KEY_ID'),
    accessKeySecret: need('ALIYUN_SMS_ACCESS_KEY_SECRET'),
    signName: need('ALIYUN_SMS_SIGN_NAME'),
    templateCodes,
    endpoint: env.ALIYUN_SMS_ENDPOINT || 'https://dysmsapi.aliyuncs.com/',
  };
  if (missing.length > 0) throw new ConfigError([`SMS_PROVIDER=aliyun needs ${missing.join(', ')}`]);
  return new AliyunSmsGateway(config);
}
