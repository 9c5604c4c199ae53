/**
 * Key builders for every item type of the single table (docs/DATA-MODEL.md lists them with
 * their access patterns). Partition prefixes keep item types apart; sort keys that hold
 * times or revisions are fixed-width so lexical order is chronological.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { IdKind } from '../../core/ports.js';
import { revisionKey, utcSortKey } from '../common/sort-keys.js';

export type Item = Record<string, AttributeValue>;

export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });

/**
 * The partition-key prefix of each item family. The CDK construct grants each function
 * PutItem only on the families it writes (IAM `dynamodb:LeadingKeys`), so these strings are
 * part of the contract with lib/vault-permissions.ts, like the key schema.
 */
export const PARTITIONS = {
  /** Dataset records, and the DATASET#<sha>/MANIFEST#<id> edges a freeze adds. */
  dataset: 'DATASET#',
  /** Manifests, their freeze events and parent edges: written once by the worker. */
  manifest: 'MANIFEST#',
  /** Alias pointer (CURRENT) and history (REV#...). */
  alias: 'ALIAS#',
  job: 'JOB#',
  /**
   * ARTIFACT#<sha>/MANIFEST#<id>: which manifests list a split artifact, and the artifact's
   * short-id index keys. Written by the worker with each manifest.
   */
  artifact: 'ARTIFACT#',
  /** The AUDIT partition and its AUDIT#ACTOR#, AUDIT#ACTION#, AUDIT#TARGET# copies. */
  audit: 'AUDIT',
} as const;

export const keys = {
  /** Written only by stores from before registrations were kept; read as a fallback. */
  dataset: (sha256: string) => ({ pk: s(`DATASET#${sha256}`), sk: s('DATASET') }),
  datasetRegistration: (sha256: string, at: string, id: string) => ({
    pk: s(`DATASET#${sha256}`),
    sk: s(`REG#${utcSortKey(at)}#${id}`),
    ...idIndex('dataset', sha256),
  }),
  datasetManifest: (sha256: string, manifestId: string) => ({
    pk: s(`DATASET#${sha256}`),
    sk: s(`MANIFEST#${manifestId}`),
  }),
  manifest: (id: string) => ({ pk: s(`MANIFEST#${id}`), sk: s('MANIFEST') }),
  /** One per artifact a manifest lists; its gsi1 keys make the artifact findable by prefix. */
  artifactManifest: (sha256: string, manifestId: string) => ({
    pk: s(`ARTIFACT#${sha256}`),
    sk: s(`MANIFEST#${manifestId}`),
    ...idIndex('artifact', sha256),
  }),
  freezeEvent: (id: string, at: string, requestId: string) => ({
    pk: s(`MANIFEST#${id}`),
    sk: s(`FREEZE#${utcSortKey(at)}#${requestId}`),
    ...idIndex('manifest', id),
  }),
  /** Stored under the child; gsi1 turns it around to list a parent's children. */
  parentEdge: (child: string, parent: string) => ({
    pk: s(`MANIFEST#${child}`),
    sk: s(`PARENT#${parent}`),
    gsi1pk: s(`CHILDREN#${parent}`),
    gsi1sk: s(child),
  }),
  aliasCurrent: (name: string) => ({
    pk: s(`ALIAS#${name}`),
    sk: s('CURRENT'),
    gsi1pk: s('ALIASES'),
    gsi1sk: s(name),
  }),
  aliasMove: (name: string, revision: number) => ({
    pk: s(`ALIAS#${name}`),
    sk: s(`REV#${revisionKey(revision)}`),
  }),
  job: (id: string) => ({ pk: s(`JOB#${id}`), sk: s('JOB') }),
} as const;

/**
 * gsi1 keys for short-id lookups: partition IDS#<KIND>#<first two hex digits> (256 per kind),
 * sorted by the full id, so a prefix of 8+ characters is one begins_with query. Registrations,
 * freeze events and artifact items carry them, so a dataset or manifest is findable from its
 * next registration or freeze, and an artifact from the manifest that lists it.
 */
export function idIndex(kind: IdKind, id: string): Item {
  return { gsi1pk: s(idPartition(kind, id)), gsi1sk: s(id) };
}

export function idPartition(kind: IdKind, prefix: string): string {
  return `IDS#${kind.toUpperCase()}#${prefix.slice(0, 2)}`;
}

/** Only the table's own key attributes, for GetItem and conditions. */
export function primaryKey(item: Item): Item {
  return { pk: item.pk!, sk: item.sk! };
}

export function parseData<T>(item: Item | undefined): T | undefined {
  return item?.data?.S === undefined ? undefined : (JSON.parse(item.data.S) as T);
}
