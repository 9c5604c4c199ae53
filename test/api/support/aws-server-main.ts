/**
 * `npm start` on the AWS backend against the emulators, with a fresh locked bucket and lineage
 * table: the Python client's tests (python/tests) start it to load splits through S3's own
 * presigned URLs. Prints the same "listening" line as the server; SIGTERM stops it.
 *   bash scripts/with-emulators.sh tsx test/api/support/aws-server-main.ts
 */
import { startServer } from '../../../functions/handlers/node.js';
import { freshAwsConfig } from '../../conformance/emulator-env.js';

const extra: Record<string, string> = { PORT: '0' };
if (process.env.SPLITVAULT_TOKENS_FILE) extra.SPLITVAULT_TOKENS_FILE = process.env.SPLITVAULT_TOKENS_FILE;
const running = await startServer(await freshAwsConfig('pyclient', extra));
console.log(JSON.stringify({ msg: 'listening', url: running.url }));
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
