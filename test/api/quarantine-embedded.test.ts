import { quarantineSuite } from './suites/quarantine-suite.js';
import { embeddedHarness } from './support/harness.js';

quarantineSuite('embedded', (options) => embeddedHarness(options));
quarantineSuite('embedded', (options) => embeddedHarness(options), { stream: true });
