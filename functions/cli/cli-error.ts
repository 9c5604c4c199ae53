/**
 * Errors the CLI raises itself. `exitCode` is the process exit status: 2 for a usage error
 * (the command line is wrong), 1 for everything that went wrong while doing the work, 3 where a
 * command's 1 is an answer (`contains`: 1 is "not in the split", 3 "could not tell").
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: 1 | 2 | 3;
  readonly detail: string | undefined;

  constructor(
    code: string,
    title: string,
    options: { detail?: string; exitCode?: 1 | 2 | 3; cause?: unknown } = {},
  ) {
    super(title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.detail = options.detail;
  }
}

/** The command line itself is wrong: exit status 2, nothing was sent to the service. */
export class UsageError extends CliError {
  constructor(code: string, title: string, detail?: string) {
    super(code, title, { exitCode: 2, ...(detail === undefined ? {} : { detail }) });
    this.name = 'UsageError';
  }
}
