import { leakageSuite } from './suites/leakage-suite.js';
import { awsHarness } from './support/harness.js';

leakageSuite('S3 and DynamoDB on the emulators', awsHarness);
