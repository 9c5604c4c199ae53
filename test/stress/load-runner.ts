/**
 * A bounded mixed load against a running service over HTTP: freezes of the same and of
 * different datasets, alias moves with expected revisions, rollbacks and reads. It records
 * every accepted write so the caller can check that each one is visible afterwards.
 */
import { createHash } from 'node:crypto';
import { TOKENS } from '../reliability/support/tokens.js';

export interface LoadOptions {
  readonly url: string;
  readonly clients: number;
  readonly durationMs: number;
  /** Hard cap on requests per client, so a fast server can't make the run unbounded. */
  readonly maxRequestsPerClient: number;
  readonly datasets?: number;
  readonly aliases?: number;
}

export interface LoadReport {
  requests: number;
  readonly byStatus: Record<string, number>;
  /** Every 5xx or transport failure, with what was asked. */
  readonly errors: string[];
  readonly manifests: Set<string>;
  readonly aliasMoves: { alias: string; revision: number; manifestId: string }[];
  readonly aliases: readonly string[];
  readonly datasets: readonly string[];
  readonly latenciesMs: number[];
}

interface Answer {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response fields are read one at a time
  readonly json: any;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const report: LoadReport = {
    requests: 0,
    byStatus: {},
    errors: [],
    manifests: new Set(),
    aliasMoves: [],
    aliases: [],
    datasets: [],
    latenciesMs: [],
  };
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    token: string = TOKENS.admin,
  ): Promise<Answer> => {
    const started = performance.now();
    report.requests += 1;
    try {
      const response = await fetch(`${options.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      report.byStatus[response.status] = (report.byStatus[response.status] ?? 0) + 1;
      if (response.status >= 500)
        report.errors.push(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
      return { status: response.status, json: text ? JSON.parse(text) : undefined };
    } catch (err) {
      report.errors.push(`${method} ${path}: ${(err as Error).message}`);
      return { status: 0, json: undefined };
    } finally {
      report.latenciesMs.push(performance.now() - started);
    }
  };

  // Setup: a few datasets, one manifest each, and aliases pointing at them.
  const datasets: string[] = [];
  for (let d = 0; d < (options.datasets ?? 3); d += 1) {
    const lines = [
      'id,label,value',
      ...Array.from({ length: 300 }, (_, i) => `${i},${(i + d) % 4},${(i * 13 + d) % 97}`),
    ];
    const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const created = await request('POST', '/v1/datasets', { sha256, bytes: bytes.byteLength });
    const put = await fetch(created.json.upload.url, {
      method: 'PUT',
      headers: created.json.upload.headers,
      body: bytes,
    });
    if (put.status >= 300) throw new Error(`setup upload answered ${put.status}`);
    datasets.push(sha256);
  }
  const freeze = async (dataset: string, seed: number) => {
    const spec = {
      strategy: 'random',
      seed,
      ratios: { train: 0.8, validation: 0.1, test: 0.1 },
      format: 'csv',
    };
    const answer = await request('POST', '/v1/splits?wait=30', { dataset, spec }, TOKENS.writer);
    if (answer.status === 200 || answer.status === 201) report.manifests.add(answer.json.manifest.id);
    return answer;
  };
  const seedManifests: string[] = [];
  for (const dataset of datasets) {
    const answer = await freeze(dataset, 1);
    if (answer.status >= 300) throw new Error(`setup freeze answered ${answer.status}`);
    seedManifests.push(answer.json.manifest.id);
  }
  const aliases = Array.from({ length: options.aliases ?? 3 }, (_, i) => `load-${i}`);
  for (const [i, alias] of aliases.entries()) {
    const set = await request(
      'PUT',
      `/v1/aliases/${alias}`,
      { manifestId: seedManifests[i % seedManifests.length], reason: 'load setup', expectedRevision: 0 },
      TOKENS.deployer,
    );
    if (set.status !== 201) throw new Error(`setup alias answered ${set.status}`);
    report.aliasMoves.push({ alias, revision: 1, manifestId: set.json.manifestId });
  }
  Object.assign(report, { aliases, datasets });

  const deadline = Date.now() + options.durationMs;
  const client = async (index: number) => {
    const random = prng(index + 1);
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    for (let n = 0; n < options.maxRequestsPerClient && Date.now() < deadline; n += 1) {
      const roll = random();
      if (roll < 0.25) {
        await freeze(pick(datasets), 1 + Math.floor(random() * 3));
      } else if (roll < 0.5) {
        const alias = pick(aliases);
        const current = await request('GET', `/v1/aliases/${alias}`, undefined, TOKENS.reader);
        if (current.status !== 200) continue;
        const target = pick([...report.manifests]);
        const moved = await request(
          'PUT',
          `/v1/aliases/${alias}`,
          { manifestId: target, reason: `client ${index}`, expectedRevision: current.json.revision },
          TOKENS.deployer,
        );
        if (moved.status === 200)
          report.aliasMoves.push({ alias, revision: moved.json.revision, manifestId: moved.json.manifestId });
      } else if (roll < 0.6) {
        const alias = pick(aliases);
        const back = await request(
          'POST',
          `/v1/aliases/${alias}/rollback`,
          { reason: `client ${index} rollback` },
          TOKENS.deployer,
        );
        if (back.status === 200)
          report.aliasMoves.push({ alias, revision: back.json.revision, manifestId: back.json.manifestId });
      } else {
        const manifest = pick([...report.manifests]);
        const path = pick([
          `/v1/splits/${manifest}`,
          `/v1/splits/${manifest}/train`,
          `/v1/aliases/${pick(aliases)}/history?limit=5`,
          '/v1/audit?limit=5',
          `/v1/datasets/${pick(datasets)}/splits`,
        ]);
        await request('GET', path, undefined, TOKENS.reader);
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)));
  return report;
}
