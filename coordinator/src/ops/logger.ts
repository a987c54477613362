import pino, { type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export interface LoggerOptions {
  level?: string;
  /** Human-readable lines; defaults to whether stdout is a terminal (JSON lines otherwise, for log collectors). */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

/** The coordinator's pino logger: pino-pretty on a terminal, one JSON object per line otherwise. */
export function createLogger(options: LoggerOptions = {}): PinoLogger {
  const destination = options.destination ?? process.stdout;
  const human = options.pretty ?? (destination as { isTTY?: boolean }).isTTY === true;
  const base = { level: options.level ?? 'info' };
  if (!human) return options.destination ? pino(base, options.destination) : pino(base);
  return pino(base, pretty({ destination: destination as never, colorize: (destination as { isTTY?: boolean }).isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', sync: true }));
}
