import { defineFreezeStepsConformance } from './freeze-steps-conformance.js';

defineFreezeStepsConformance('embedded', 'files and SQLite');
