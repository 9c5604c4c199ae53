import { aliasesSuite } from './suites/aliases-suite.js';
import { catalogSuite } from './suites/catalog-suite.js';
import { datasetsSuite } from './suites/datasets-suite.js';
import { splitsSuite } from './suites/splits-suite.js';
import { embeddedHarness } from './support/harness.js';

splitsSuite('embedded', embeddedHarness);
aliasesSuite('embedded', embeddedHarness);
datasetsSuite('embedded', embeddedHarness);
catalogSuite('embedded', embeddedHarness);
