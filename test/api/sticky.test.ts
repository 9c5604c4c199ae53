import { stickySuite } from './suites/sticky-suite.js';
import { embeddedHarness } from './support/harness.js';

stickySuite('embedded', () => embeddedHarness());
