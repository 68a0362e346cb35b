// Waits until a Kafka broker answers a metadata request (stack readiness, not a sleep).
const { Kafka, logLevel } = require('kafkajs');

const broker = process.argv[2] || '127.0.0.1:9092';
const deadline = Date.now() + 60_000;

(async () => {
  const kafka = new Kafka({ clientId: 'stack-wait', brokers: [broker], logLevel: logLevel.NOTHING });
  for (;;) {
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.disconnect();
      if (cluster.brokers.length > 0 && cluster.controller !== null) return;
    } catch {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      console.error(`kafka at ${broker} did not answer within 60 s`);
      process.exit(1);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
})();
