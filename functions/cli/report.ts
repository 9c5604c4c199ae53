import type { Problem } from '../../schemas/records.js';
import { ApiError, ResponseShapeError } from '../client/index.js';
import { CliError } from './cli-error.js';
import { printable } from './terminal-text.js';

/** The one shape every failure is printed in (stderr text, and stdout JSON under --json). */
export interface FailureReport {
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  readonly status?: number;
  readonly exitCode: 1 | 2 | 3;
  /** ALIAS.TEST_LEAK: the former test rows the refused move would train or validate on. */
  readonly testLeak?: Problem['testLeak'];
}

/** Maps anything thrown to a report; unknown errors are failures (1), never usage errors. */
export function toFailure(error: unknown): FailureReport {
  if (error instanceof CliError) {
    return {
      code: error.code,
      title: error.message,
      exitCode: error.exitCode,
      ...(error.detail ? { detail: error.detail } : {}),
    };
  }
  if (error instanceof ApiError) {
    const p = error.problem;
    return {
      code: p.code,
      title: p.title,
      status: p.status,
      exitCode: 1,
      ...(p.detail ? { detail: leakDetail(p.detail, p.testLeak) } : {}),
      ...(p.testLeak ? { testLeak: p.testLeak } : {}),
    };
  }
  if (error instanceof ResponseShapeError) return { code: error.code, title: error.message, exitCode: 1 };
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  // fetch reports every network failure as TypeError("fetch failed") with the reason as cause.
  if (error instanceof TypeError && cause !== undefined) {
    const detail = [cause.code, cause.message].filter(Boolean).join(' ');
    return { code: 'CLI.UNREACHABLE', title: 'cannot reach the service', detail, exitCode: 1 };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'CLI.UNEXPECTED', title: message, exitCode: 1 };
}

/** Names the leaked rows after the service's sentence, so a refused move says which ones. */
function leakDetail(detail: string, leak: Problem['testLeak']): string {
  if (!leak || leak.examples.length === 0) return detail;
  const rows = leak.examples.map((e) => `${e.identity} (${e.split})`).join(', ');
  return `${detail}; ${leak.examples.length < leak.count ? `the first ${leak.examples.length}: ` : ''}${rows}`;
}

export function failureText(report: FailureReport): string {
  // Titles and details can carry the service's (or a caller's) text: escape it for the terminal.
  const detail = report.detail ? `\n  ${printable(report.detail)}` : '';
  return `error: ${printable(report.title)}${detail} [${printable(report.code)}]\n`;
}
