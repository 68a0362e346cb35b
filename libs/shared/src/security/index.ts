export * from './throttle';
export * from './token';
