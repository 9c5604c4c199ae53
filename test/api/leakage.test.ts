import { leakageSuite } from './suites/leakage-suite.js';
import { embeddedHarness } from './support/harness.js';

leakageSuite('embedded', embeddedHarness);
