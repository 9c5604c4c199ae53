import { defineFreezeStepsConformance } from './freeze-steps-conformance.js';
import { defineFreezeStepsForgery } from './freeze-steps-forgery-conformance.js';

defineFreezeStepsConformance('embedded', 'files and SQLite');
defineFreezeStepsForgery('embedded', 'files and SQLite');
