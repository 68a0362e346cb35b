export * from './throttle';
export * from './token';
export * from './ticket-access';
export * from './operation-access';
export * from './idempotency';
export * from './leader-review';
export * from './accounts';
