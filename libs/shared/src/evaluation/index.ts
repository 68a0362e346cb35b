export * from './events';
export * from './sms-templates';
