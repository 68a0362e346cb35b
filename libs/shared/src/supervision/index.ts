export * from './assessment';
export * from './events';
export * from './orders';
export * from './escalation';
export * from './analysis';
export * from './key-tasks';
export * from './plans';
export * from './targets';
