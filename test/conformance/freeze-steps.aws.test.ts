import { defineFreezeStepsConformance } from './freeze-steps-conformance.js';

defineFreezeStepsConformance('aws', 'S3 on versitygw and DynamoDB on moto');
