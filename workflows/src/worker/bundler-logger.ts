import type { Logger } from '@temporalio/common';

/** For bundling the workflows at build or bench time: webpack's warnings and errors, nothing else. */
export const quietBundlerLogger: Logger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message, meta) => (meta ? console.warn(message, meta) : console.warn(message)),
  error: (message, meta) => (meta ? console.error(message, meta) : console.error(message)),
};
