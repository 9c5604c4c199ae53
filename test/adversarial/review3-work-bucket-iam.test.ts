/**
 * The shard function parses untrusted uploads (Parquet through WebAssembly, CSV, Arrow) and
 * holds s3:PutObject on every key of the work bucket. The coordinator trusts what it reads
 * there: the envelope's job id and phase (freeze-work.ts) are plain data anyone who can write
 * can forge. So a shard function subverted by a hostile file can overwrite any job's `plan`,
 * `items.json`, `merge`, `assign` or `combine` object, and the record step of that other job
 * then records whatever manifest `combine` holds (any split file address) under the Object
 * Lock: a forged lineage record that can't be undone. A shard step writes only
 * `scan-*`, `summarize-*` and `write-*` objects; its role should allow no more.
 *
 * Those it may still write for any job: IAM can't tell jobs apart. What keeps them from
 * being forged is the execution's work key (functions/jobs/freeze-work.ts; the forgeries are in
 * test/conformance/freeze-steps-forgery-conformance.ts). The key is in the state and the
 * events the machine sends, so the role must hold nothing that reads another execution's
 * state or log, and, to make other jobs harder to find at all, no list of either bucket and
 * no read of the table.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SplitVault } from '../../lib/splitvault.js';
import { functionStatements } from '../infra/policy-scan.js';
import { logicalId, synthStack } from '../infra/synth.js';

let template: Template;
let vault: SplitVault;
beforeAll(() => {
  const synth = synthStack();
  template = synth.template;
  vault = synth.stack.vault;
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

/** A resource with the work bucket's ARN written as WORK, other tokens as TOKEN. */
function render(value: unknown, work: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => render(v, work)).join('');
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => render(p, work)).join(separator);
  }
  if ('Fn::GetAtt' in object) {
    const [id, attribute] = object['Fn::GetAtt'] as [string, string];
    return id === work && attribute === 'Arn' ? 'arn:aws:s3:::WORK' : 'TOKEN';
  }
  if ('Ref' in object) return object.Ref === work ? 'WORK' : 'TOKEN';
  return 'TOKEN';
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

describe('the shard function on the work bucket', () => {
  it('may write only the shard steps’ own objects, never the plan, item list, merge, assignment or manifest', () => {
    const work = logicalId(vault.workBucket);
    const statements = functionStatements(template).get(logicalId(vault.freezeShardFunction)) as Statement[];
    const puts = statements
      .filter(
        (s) => s.Effect === 'Allow' && [s.Action].flat().some((a) => a === 's3:PutObject' || a === 's3:*'),
      )
      .flatMap((s) => [s.Resource].flat().map((r) => render(r, work)));
    const writable = (key: string) => puts.some((pattern) => glob(pattern).test(`arn:aws:s3:::WORK/${key}`));
    const job = 'jobs/0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(writable(`${job}/write-000003-train`)).toBe(true);
    expect({
      plan: writable(`${job}/plan`),
      items: writable(`${job}/items.json`),
      merge: writable(`${job}/merge`),
      assign: writable(`${job}/assign`),
      combine: writable(`${job}/combine`),
    }).toEqual({ plan: false, items: false, merge: false, assign: false, combine: false });
  });
});

describe('the shard function and other jobs', () => {
  const actions = () =>
    (functionStatements(template).get(logicalId(vault.freezeShardFunction)) as Statement[])
      .filter((s) => s.Effect === 'Allow')
      .flatMap((s) => [s.Action].flat());

  it('can neither list a bucket nor read the table, which would show it other jobs and datasets', () => {
    expect(actions().filter((a) => a === 's3:ListBucket' || a.startsWith('dynamodb:') || a === '*')).toEqual(
      [],
    );
  });

  it("can't read an execution's state or history, nor any log, where another job's work key travels", () => {
    const readers = actions().filter(
      (a) => a.startsWith('states:') || /^logs:(Get|Filter|Describe|StartQuery)/.test(a) || a.endsWith(':*'),
    );
    expect(readers).toEqual([]);
  });
});
