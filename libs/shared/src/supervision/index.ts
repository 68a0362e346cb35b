export * from './assessment';
export * from './analysis';
