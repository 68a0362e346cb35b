export * from './events';
export * from './sms-templates';
export * from './expert';
export * from './sms-reply';
export * from './callback-task';
export * from './satisfaction';
export * from './vote';
export * from './reconsideration';
