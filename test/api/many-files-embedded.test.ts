import { manyFilesSuite } from './suites/many-files-suite.js';
import { embeddedHarness } from './support/harness.js';

manyFilesSuite('embedded', embeddedHarness);
