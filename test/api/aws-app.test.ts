import { aliasesSuite } from './suites/aliases-suite.js';
import { catalogSuite } from './suites/catalog-suite.js';
import { datasetsSuite } from './suites/datasets-suite.js';
import { rangeSuite } from './suites/range-suite.js';
import { splitsSuite } from './suites/splits-suite.js';
import { awsHarness } from './support/harness.js';

// Runs against versitygw + moto: bash scripts/with-emulators.sh npx vitest run test/api
splitsSuite('aws emulators', awsHarness);
aliasesSuite('aws emulators', awsHarness);
datasetsSuite('aws emulators', awsHarness);
catalogSuite('aws emulators', awsHarness);
rangeSuite('aws emulators', awsHarness);
