import { stickySuite } from './suites/sticky-suite.js';
import { awsHarness } from './support/harness.js';

// Runs against versitygw + moto: bash scripts/with-emulators.sh npx vitest run test/api
stickySuite('aws emulators', awsHarness);
