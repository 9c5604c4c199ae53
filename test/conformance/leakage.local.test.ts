import { embeddedStores } from './embedded-stores.js';
import { defineLeakageConformance } from './leakage-conformance.js';

defineLeakageConformance('files and SQLite', () => embeddedStores('splitvault-leakage-'));
