import type { Identity } from './auth/identity.js';

/** One structured log line; the sink decides where it goes. */
export type LogSink = (line: Readonly<Record<string, unknown>>) => void;

/** Per-request values the middleware sets for the routes. */
export interface AppEnv {
  Variables: {
    requestId: string;
    identity: Identity;
    log: LogSink;
  };
}
