#!/usr/bin/env node
import { runCli } from '../functions/cli/program.js';
import pkg from '../package.json' with { type: 'json' };

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  version: pkg.version,
});
process.exitCode = code;
