import { manyFilesSuite } from './suites/many-files-suite.js';
import { awsHarness } from './support/harness.js';

// Runs against versitygw + moto: bash scripts/with-emulators.sh npx vitest run test/api
manyFilesSuite('aws emulators', awsHarness);
