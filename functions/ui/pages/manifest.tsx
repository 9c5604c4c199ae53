import type { FreezeEvent, StoredManifest } from '../../../schemas/records.js';
import { DataTable, Section, Timestamp } from '../components.js';
import { formatBytes, formatCount, shortId } from '../format.js';
import { Hash } from '../layout.js';
import { LineageGraph } from './lineage-graph.js';

export interface ManifestProps {
  readonly manifest: StoredManifest;
  readonly freezeEvents: readonly FreezeEvent[];
  readonly datasetName?: string;
  readonly ancestors: readonly string[];
  readonly descendants: readonly string[];
}

const SPLITS = ['train', 'validation', 'test'] as const;

/** One manifest: its three files, how it was made, where it came from and what came of it. */
export function ManifestPage(props: ManifestProps) {
  const { manifest } = props;
  // The leakage summary is shown once manifests carry one; until then the section is absent.
  const leakage = (manifest as { leakage?: unknown }).leakage;
  return (
    <>
      <h1>
        Manifest <code>{shortId(manifest.id)}</code>
      </h1>
      <dl class="facts">
        <dt>Id</dt>
        <dd>
          <Hash value={manifest.id} label="manifest id" />
        </dd>
        <dt>Dataset</dt>
        <dd>
          {props.datasetName ? `${props.datasetName} · ` : ''}
          <code>{shortId(manifest.dataset.sha256)}</code> · {formatCount(manifest.dataset.rows)} rows ·{' '}
          {formatBytes(manifest.dataset.bytes)} · {manifest.dataset.format}
        </dd>
        <dt>Created</dt>
        <dd>
          <Timestamp at={manifest.createdAt} /> by {manifest.createdBy}
        </dd>
      </dl>
      <Section id="splits" title="Splits">
        <DataTable class="splits" columns={['Split', 'Rows', 'Size', 'SHA-256', 'Download']}>
          {SPLITS.map((split) => {
            const file = manifest.splits[split];
            return (
              <tr data-split={split}>
                <th scope="row">{split}</th>
                <td class="num">{formatCount(file.rows)}</td>
                <td class="num">{formatBytes(file.bytes)}</td>
                <td>
                  <Hash value={file.sha256} label={`${split} SHA-256`} />
                </td>
                <td>
                  <a href={`/v1/splits/${manifest.id}/${split}`} data-download="true">
                    {split}.arrow
                  </a>
                </td>
              </tr>
            );
          })}
        </DataTable>
      </Section>
      <Section id="lineage" title="Lineage">
        <div class="graph-wrap">
          <LineageGraph
            manifestId={manifest.id}
            dataset={{
              sha256: manifest.dataset.sha256,
              ...(props.datasetName ? { name: props.datasetName } : {}),
            }}
            ancestors={props.ancestors}
            descendants={props.descendants}
          />
        </div>
      </Section>
      <Section id="spec" title="Spec">
        <pre class="json">{JSON.stringify(manifest.spec, null, 2)}</pre>
      </Section>
      {leakage === undefined ? null : (
        <Section id="leakage" title="Leakage">
          <pre class="json">{JSON.stringify(leakage, null, 2)}</pre>
        </Section>
      )}
      <Section id="freezes" title="Freeze events and environment">
        {props.freezeEvents.map((event) => (
          <article class="event">
            <h3>
              <Timestamp at={event.at} /> by {event.actor}
            </h3>
            <p>
              Request <code>{event.requestId}</code>
            </p>
            <pre class="json">
              {JSON.stringify(
                { service: event.service, environment: event.environment, provenance: event.provenance },
                null,
                2,
              )}
            </pre>
          </article>
        ))}
      </Section>
    </>
  );
}
