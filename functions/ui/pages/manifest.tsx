import type { FreezeEvent, StoredManifest } from '../../../schemas/records.js';
import { formatBytes, formatCount, formatTime, shortId } from '../format.js';
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
          <time datetime={manifest.createdAt}>{formatTime(manifest.createdAt)}</time> by {manifest.createdBy}
        </dd>
      </dl>
      <section aria-labelledby="splits-h">
        <h2 id="splits-h">Splits</h2>
        <div class="table-wrap">
          <table class="splits">
            <thead>
              <tr>
                <th scope="col">Split</th>
                <th scope="col">Rows</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                <th scope="col">Download</th>
              </tr>
            </thead>
            <tbody>
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
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="lineage-h">
        <h2 id="lineage-h">Lineage</h2>
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
      </section>
      <section aria-labelledby="spec-h">
        <h2 id="spec-h">Spec</h2>
        <pre class="json">{JSON.stringify(manifest.spec, null, 2)}</pre>
      </section>
      {leakage === undefined ? null : (
        <section aria-labelledby="leakage-h">
          <h2 id="leakage-h">Leakage</h2>
          <pre class="json">{JSON.stringify(leakage, null, 2)}</pre>
        </section>
      )}
      <section aria-labelledby="freezes-h">
        <h2 id="freezes-h">Freeze events and environment</h2>
        {props.freezeEvents.map((event) => (
          <article class="event">
            <h3>
              <time datetime={event.at}>{formatTime(event.at)}</time> by {event.actor}
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
      </section>
    </>
  );
}
