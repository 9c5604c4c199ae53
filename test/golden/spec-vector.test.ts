import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../functions/core/canonical-json.js';
import { sha256Hex } from '../../functions/core/hash.js';
import { splitDataset } from '../../functions/core/split-dataset.js';
import { SpecRequest } from '../../schemas/spec.js';

/**
 * docs/SPLIT-SPEC.md carries a hex dump of one split file (§3.4) and a Python JCS
 * serializer (§4); both are read from the document here and held to the engine, so the
 * document cannot drift from the bytes.
 */
const here = import.meta.dirname;
const spec = readFileSync(join(here, '../../docs/SPLIT-SPEC.md'), 'utf8');
const python = join(here, '../../.tools/venv/bin/python');

function between(name: string): string {
  const start = spec.indexOf(`<!-- ${name}:start -->`);
  const end = spec.indexOf(`<!-- ${name}:end -->`);
  if (start < 0 || end < start) throw new Error(`docs/SPLIT-SPEC.md lacks the ${name} markers`);
  return spec
    .slice(start, end)
    .replace(/^[^\n]*\n```[a-z]*\n/, '')
    .replace(/```\n*$/, '');
}

/** The bytes of a dump whose lines are a hex offset then up to 16 hex bytes. */
function parseDump(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const line of text.trim().split('\n')) {
    const [offset, ...hex] = line.trim().split(/\s+/);
    if (Number.parseInt(offset!, 16) !== bytes.length)
      throw new Error(`dump line at ${offset} is out of place`);
    bytes.push(...hex.map((h) => Number.parseInt(h, 16)));
  }
  return Uint8Array.from(bytes);
}

const source = new TextEncoder().encode('id,name\n1,a\n2,\n3,cc\n');

async function vector() {
  const request = SpecRequest.parse({
    strategy: 'random',
    seed: 1,
    ratios: { train: 1, validation: 0, test: 0 },
  });
  return splitDataset(source, { sha256: '0'.repeat(64), bytes: source.length }, request);
}

describe('the split-file test vector in SPLIT-SPEC.md §3.4', () => {
  it('is byte for byte the train file the engine writes', async () => {
    const { artifacts } = await vector();
    expect(Buffer.from(artifacts.train).toString('hex')).toBe(
      Buffer.from(parseDump(between('split-vector'))).toString('hex'),
    );
  });

  it('is what the writer built from §3 alone writes, for the batch and for the empty file', async () => {
    const { artifacts } = await vector();
    const work = mkdtempSync(join(tmpdir(), 'splitvault-vector-'));
    const train = join(work, 'train.arrow');
    const validation = join(work, 'validation.arrow');
    writeFileSync(train, artifacts.train);
    writeFileSync(validation, artifacts.validation);
    const index = join(work, 'writes.json');
    writeFileSync(
      index,
      JSON.stringify([
        { source: train, rows: [0, 1, 2], file: train },
        { source: train, rows: [], file: validation },
      ]),
    );
    const out = execFileSync(python, [join(here, 'write_split_file.py'), index], { encoding: 'utf8' });
    expect(out).toContain('wrote 2 files');
  });

  it('states the hashes of both files and the manifest id the engine gives', async () => {
    const { artifacts, manifest } = await vector();
    expect(artifacts.validation.byteLength).toBe(226);
    for (const hash of [sha256Hex(artifacts.train), sha256Hex(artifacts.validation), manifest.id]) {
      expect(spec).toContain(`\`${hash}\``);
    }
  });
});

describe('the Python JCS serializer in SPLIT-SPEC.md §4', () => {
  // JSON texts as Python reads them: "1.0" stays a float there, which json.dumps would print as 1.0.
  const texts = [
    '{"train":1.0,"validation":0.0,"test":0.0}',
    '[0.7,0.15,0.15,42.0,-0.0,100.0,1e-7,5e-324,1e21,1e16,123456789012345680000.0,0.000001,0.0000012,1.7976931348623157e308]',
    '[0.1,0.2,0.30000000000000004,2.5e-10,0.3333333333333333,0.6666666666666666,9007199254740991]',
    '{"\\ud83d\\ude00":1,"\\uff01":2,"a":{"z":null,"b":[true,false,"\\u0001\\"\\\\\\n\\u007f\\u2028é"]}}',
  ];

  it('writes the same text as the engine for integral floats, exponents, key order and escapes', () => {
    const work = mkdtempSync(join(tmpdir(), 'splitvault-jcs-'));
    const script = join(work, 'jcs.py');
    // Doubles of every magnitude from a fixed LCG, so a failure reproduces.
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648;
    };
    const random = Array.from({ length: 2000 }, (_, i) => {
      const x = (next() - 0.5) * 10 ** Math.floor(next() * 60 - 30);
      return i % 10 === 0 ? Math.round(x) : x;
    });
    const inputs = [...texts, JSON.stringify(random)];
    writeFileSync(
      script,
      `${between('jcs-python')}\nimport sys\nfor line in sys.stdin.read().splitlines():\n    print(jcs(json.loads(line)))\n`,
    );
    const out = execFileSync(python, [script], { input: inputs.join('\n'), encoding: 'utf8' });
    expect(out.split('\n').slice(0, inputs.length)).toEqual(inputs.map((t) => canonicalJson(JSON.parse(t))));
  });

  it('prints the manifest text of the test vector that the engine hashes', async () => {
    const { manifest } = await vector();
    const { id, ...content } = manifest;
    expect(between('manifest-vector').trim()).toBe(canonicalJson(content));
    expect(sha256Hex(new TextEncoder().encode(canonicalJson(content)))).toBe(id);
  });

  it('gives the manifest id of the test vector', async () => {
    const { manifest } = await vector();
    const { id, ...content } = manifest;
    const work = mkdtempSync(join(tmpdir(), 'splitvault-jcs-'));
    const script = join(work, 'id.py');
    writeFileSync(
      script,
      `${between('jcs-python')}\nimport sys\nprint(manifest_id(json.loads(sys.stdin.read())))\n`,
    );
    // Written the way a Python client would hold it: ratios as floats (1.0, 0.0).
    const text = JSON.stringify(content).replace(/"(train|validation|test)":([01])(?=[,}])/g, '"$1":$2.0');
    expect(text).toContain('"train":1.0');
    expect(execFileSync(python, [script], { input: text, encoding: 'utf8' }).trim()).toBe(id);
  });
});
