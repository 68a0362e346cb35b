export const CONFIG = Symbol('PlatformConfig');
export const TEMPORAL_CLIENT = Symbol('TemporalClient');
export const KAFKA = Symbol('Kafka');
