/** The small logging port the platform code writes to; NestJS's Logger and console both fit. */
export interface Logger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLogger = (name: string): Logger => ({
  log: (m) => console.log(`[${name}] ${m}`),
  warn: (m) => console.warn(`[${name}] ${m}`),
  error: (m) => console.error(`[${name}] ${m}`),
});
