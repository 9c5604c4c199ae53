/**
 * `npm run test:stress`: the long versions. 50 clients for 60 s over real HTTP on the embedded
 * server and on versitygw + moto, then a long schemathesis run. Prints one JSON summary per
 * stage and exits non-zero if any check fails.
 */
import { startHttpService } from '../reliability/support/http-server.js';
import { runSchemathesis } from '../reliability/support/schemathesis.js';
import { checkAfterLoad } from './load-checks.js';
import { runLoad } from './load-runner.js';

const clients = Number(process.env.STRESS_CLIENTS ?? 50);
const seconds = Number(process.env.STRESS_SECONDS ?? 60);
const examples = Number(process.env.STRESS_FUZZ_EXAMPLES ?? 100);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
};

async function main(): Promise<number> {
  let failed = 0;
  const realLog = console.log;
  for (const backend of ['embedded', 'aws'] as const) {
    console.log = () => undefined; // the servers' request log
    const service = await startHttpService(backend);
    const started = Date.now();
    const report = await runLoad({
      url: service.url,
      clients,
      durationMs: seconds * 1000,
      maxRequestsPerClient: 100_000,
    });
    const broken = await checkAfterLoad(service.url, report);
    await service.close();
    console.log = realLog;
    failed += broken.length;
    console.log(
      JSON.stringify({
        stage: 'load',
        backend,
        clients,
        seconds,
        wallSeconds: Math.round((Date.now() - started) / 1000),
        requests: report.requests,
        byStatus: report.byStatus,
        manifests: report.manifests.size,
        aliasMoves: report.aliasMoves.length,
        p50Ms: quantile(report.latenciesMs, 0.5),
        p99Ms: quantile(report.latenciesMs, 0.99),
        broken: broken.slice(0, 20),
      }),
    );
  }
  console.log = () => undefined;
  const service = await startHttpService('embedded');
  const fuzz = await runSchemathesis({
    url: service.url,
    maxExamples: examples,
    phases: 'examples,coverage,fuzzing,stateful',
  });
  await service.close();
  console.log = realLog;
  const summary = /(\d+) generated, (.*)$/m.exec(fuzz.output)?.[0] ?? 'no summary';
  console.log(
    JSON.stringify({ stage: 'schemathesis', maxExamples: examples, exitCode: fuzz.exitCode, summary }),
  );
  if (fuzz.exitCode !== 0) {
    failed += 1;
    console.error(fuzz.output.slice(-5000));
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
