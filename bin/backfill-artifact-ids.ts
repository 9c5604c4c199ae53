#!/usr/bin/env node
// Run from a checkout: npm run backfill-artifact-ids -- --table TABLE_NAME (docs/DEPLOY.md).
import { backfillArtifactIdsMain } from '../functions/handlers/backfill-artifact-ids.js';

process.exitCode = await backfillArtifactIdsMain(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
