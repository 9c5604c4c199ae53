import { quarantineSuite } from './suites/quarantine-suite.js';
import { awsHarness } from './support/harness.js';

// Runs against versitygw + moto: bash scripts/with-emulators.sh npx vitest run test/api/quarantine-aws.test.ts
quarantineSuite('aws emulators', (options) => awsHarness(options));
quarantineSuite('aws emulators', (options) => awsHarness(options), { stream: true });
