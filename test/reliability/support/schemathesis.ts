/**
 * Runs schemathesis (pinned in scripts/requirements-test.txt) against a running service's
 * OpenAPI document: no 5xx, and every response must match its documented schema.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TOKENS } from './tokens.js';

export interface FuzzOptions {
  readonly url: string;
  readonly maxExamples: number;
  readonly phases: string;
  readonly seed?: number;
}

export interface FuzzResult {
  readonly exitCode: number;
  readonly output: string;
}

const ST = join(import.meta.dirname, '../../../.tools/venv/bin/st');

export async function runSchemathesis(options: FuzzOptions): Promise<FuzzResult> {
  if (!existsSync(ST)) throw new Error(`${ST} is missing; run: bash scripts/python-venv.sh`);
  const args = [
    'run',
    `${options.url}/v1/openapi.json`,
    '--header',
    `Authorization: Bearer ${TOKENS.admin}`,
    '--checks',
    'not_a_server_error,response_schema_conformance',
    '--max-examples',
    String(options.maxExamples),
    '--phases',
    options.phases,
    '--seed',
    String(options.seed ?? 1),
    // Non-ASCII query values percent-encode to 9 bytes a character, and a 4096-character cursor
    // then exceeds Node's 16 KB header limit: a bare 431 from the HTTP parser (RELIABILITY.md).
    '--generation-codec',
    'ascii',
    '--no-color',
  ];
  const child = spawn(ST, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { exitCode, output };
}
