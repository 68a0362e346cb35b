export * from './applications';
