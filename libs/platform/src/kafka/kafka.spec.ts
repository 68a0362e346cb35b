import { kafkaConnectionOptions } from './kafka';

describe('the Kafka connection options', () => {
  it('are the brokers alone by default', () => {
    expect(kafkaConnectionOptions({ kafkaBrokers: ['127.0.0.1:9092'] })).toEqual({
      brokers: ['127.0.0.1:9092'],
    });
    expect(kafkaConnectionOptions({ kafkaBrokers: ['k:9092'], kafkaSsl: false, kafkaSasl: null })).toEqual({
      brokers: ['k:9092'],
    });
  });
  it('carry TLS and the SASL login where configured', () => {
    expect(
      kafkaConnectionOptions({
        kafkaBrokers: ['k1:9093', 'k2:9093'],
        kafkaSsl: true,
        kafkaSasl: { mechanism: 'scram-sha-256', username: 'hotline', password: 'pw' },
      }),
    ).toEqual({
      brokers: ['k1:9093', 'k2:9093'],
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: 'hotline', password: 'pw' },
    });
  });
});
