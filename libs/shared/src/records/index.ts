export * from './attachments';
export * from './archive';
