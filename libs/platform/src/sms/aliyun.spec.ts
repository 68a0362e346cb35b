import { ConfigError } from '@hotline/shared';
import { aliyunPercentEncode, aliyunSignature, AliyunSmsGateway, smsGatewayFromEnv } from './aliyun';
import { LocalSmsGateway } from './sms-sender';

describe('Aliyun SMS', () => {
  it('signs the documented example exactly (RPC signature 1.0, ECS DescribeRegions, testid/testsecret)', () => {
    const params = {
      Timestamp: '2016-02-23T12:46:24Z',
      Format: 'XML',
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Version: '2014-05-26',
      SignatureVersion: '1.0',
    };
    expect(aliyunSignature('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('percent-encodes per RFC 3986 as Aliyun requires', () => {
    expect(aliyunPercentEncode(" !'()*~")).toBe('%20%21%27%28%29%2A~');
    expect(aliyunPercentEncode('满意')).toBe('%E6%BB%A1%E6%84%8F');
  });

  const config = {
    accessKeyId: 'ak',
    accessKeySecret: 'secret',
    signName: '示范市12345',
    templateCodes: {
      accepted: 'SMS_6',
      not_accepted: 'SMS_7',
      callback: 'SMS_1',
      evaluator_assigned: 'SMS_2',
      evaluator_reminder: 'SMS_3',
      evaluator_withdrawn: 'SMS_4',
      evaluator_case_withdrawn: 'SMS_5',
    },
    endpoint: 'https://dysmsapi.aliyuncs.com/',
  };

  it('sends a signed SendSms request with the template code and params, and reads BizId', async () => {
    const calls: { url: string; body: string }[] = [];
    const gw = new AliyunSmsGateway(
      config,
      async (url, init) => {
        calls.push({ url, body: init.body });
        return {
          ok: true,
          status: 200,
          text: async () => '{"Code":"OK","Message":"OK","BizId":"900619746936498440^0"}',
        };
      },
      () => new Date('2026-11-23T08:00:00.123Z'),
      () => 'nonce-1',
    );
    const msg = {
      to: '13800138000',
      template: 'callback' as const,
      params: { ticketNo: '20261123000001' },
      id: 'm1',
    };
    expect(await gw.send(msg)).toEqual({ providerMessageId: '900619746936498440^0' });
    const form = Object.fromEntries(new URLSearchParams(calls[0].body));
    const { Signature, ...signed } = form;
    expect(signed).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      PhoneNumbers: '13800138000',
      SignName: '示范市12345',
      TemplateCode: 'SMS_1',
      TemplateParam: '{"ticketNo":"20261123000001"}',
      Timestamp: '2026-11-23T08:00:00Z',
      SignatureNonce: 'nonce-1',
      OutId: 'm1',
    });
    expect(Signature).toBe(aliyunSignature('POST', signed, 'secret'));
    expect(calls[0].url).toBe('https://dysmsapi.aliyuncs.com/');
  });

  it('treats any Code but OK as a failed send', async () => {
    const gw = new AliyunSmsGateway(config, async () => ({
      ok: true,
      status: 200,
      text: async () => '{"Code":"isv.BUSINESS_LIMIT_CONTROL","Message":"触发分钟级流控"}',
    }));
    await expect(
      gw.send({ to: '13800138000', template: 'callback', params: { ticketNo: '1' }, id: 'm' }),
    ).rejects.toThrow(/BUSINESS_LIMIT_CONTROL/);
  });

  it('is chosen by the environment, and refuses to boot with its settings missing', () => {
    expect(smsGatewayFromEnv({})).toBeInstanceOf(LocalSmsGateway);
    expect(() => smsGatewayFromEnv({ SMS_PROVIDER: 'carrier-pigeon' })).toThrow(ConfigError);
    expect(() => smsGatewayFromEnv({ SMS_PROVIDER: 'aliyun', ALIYUN_SMS_ACCESS_KEY_ID: 'ak' })).toThrow(
      /needs ALIYUN_SMS_TEMPLATE_ACCEPTED, ALIYUN_SMS_TEMPLATE_NOT_ACCEPTED, ALIYUN_SMS_TEMPLATE_CALLBACK, .*ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME$/,
    );
    const env = {
      SMS_PROVIDER: 'aliyun',
      ALIYUN_SMS_ACCESS_KEY_ID: 'ak',
      ALIYUN_SMS_ACCESS_KEY_SECRET: 's',
      ALIYUN_SMS_SIGN_NAME: 'n',
      ALIYUN_SMS_TEMPLATE_CALLBACK: 'a',
      ALIYUN_SMS_TEMPLATE_EVALUATOR_ASSIGNED: 'b',
      ALIYUN_SMS_TEMPLATE_EVALUATOR_REMINDER: 'c',
      ALIYUN_SMS_TEMPLATE_EVALUATOR_WITHDRAWN: 'd',
      ALIYUN_SMS_TEMPLATE_EVALUATOR_CASE_WITHDRAWN: 'e',
    };
    // The intake templates are as required as the rest: a deployment registers them before upgrading.
    expect(() => smsGatewayFromEnv(env)).toThrow(
      /needs ALIYUN_SMS_TEMPLATE_ACCEPTED, ALIYUN_SMS_TEMPLATE_NOT_ACCEPTED$/,
    );
    Object.assign(env, { ALIYUN_SMS_TEMPLATE_ACCEPTED: 'f', ALIYUN_SMS_TEMPLATE_NOT_ACCEPTED: 'g' });
    expect(smsGatewayFromEnv(env).provider).toBe('aliyun');
  });
});
