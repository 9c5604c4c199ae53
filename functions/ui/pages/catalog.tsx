import type { SplitSummary } from '../../../schemas/api.js';
import type { AliasRecord, DatasetRecord } from '../../../schemas/records.js';
import { formatBytes, formatCount, formatTime, shortId } from '../format.js';

export interface CatalogManifest {
  readonly summary: SplitSummary;
  /** Sum of the three split files. */
  readonly bytes: number;
}

export interface CatalogProps {
  readonly query?: string;
  readonly aliases: readonly AliasRecord[];
  readonly datasets: readonly DatasetRecord[];
  readonly manifests: readonly CatalogManifest[];
}

/** Aliases, datasets and manifests, newest first: the console's front page and its search results. */
export function CatalogPage(props: CatalogProps) {
  const nothing = !props.aliases.length && !props.datasets.length && !props.manifests.length;
  return (
    <>
      <h1>{props.query ? `Results for “${props.query}”` : 'Catalog'}</h1>
      {nothing ? <p class="empty">Nothing matches.</p> : null}
      {props.aliases.length ? (
        <section aria-labelledby="aliases-h">
          <h2 id="aliases-h">Aliases</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Alias</th>
                  <th scope="col">Points at</th>
                  <th scope="col">Revision</th>
                  <th scope="col">Moved by</th>
                  <th scope="col">Moved at</th>
                </tr>
              </thead>
              <tbody>
                {props.aliases.map((alias) => (
                  <tr>
                    <td>
                      <a href={`/ui/aliases/${alias.name}`}>{alias.name}</a>
                    </td>
                    <td>
                      <a href={`/ui/splits/${alias.manifestId}`}>
                        <code>{shortId(alias.manifestId)}</code>
                      </a>
                    </td>
                    <td class="num">{alias.revision}</td>
                    <td>{alias.updatedBy}</td>
                    <td>
                      <time datetime={alias.updatedAt}>{formatTime(alias.updatedAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {props.manifests.length ? (
        <section aria-labelledby="manifests-h">
          <h2 id="manifests-h">Split manifests</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Manifest</th>
                  <th scope="col">Dataset</th>
                  <th scope="col">Version</th>
                  <th scope="col">Rows (train / validation / test)</th>
                  <th scope="col">Size</th>
                  <th scope="col">Created by</th>
                  <th scope="col">Created at</th>
                </tr>
              </thead>
              <tbody>
                {props.manifests.map(({ summary, bytes }) => (
                  <tr>
                    <td>
                      <a href={`/ui/splits/${summary.id}`}>
                        <code>{shortId(summary.id)}</code>
                      </a>
                    </td>
                    <td>{summary.dataset.name ?? <code>{shortId(summary.dataset.sha256)}</code>}</td>
                    <td>{summary.version ?? '—'}</td>
                    <td class="num">
                      {formatCount(summary.rows.train)} / {formatCount(summary.rows.validation)} /{' '}
                      {formatCount(summary.rows.test)}
                    </td>
                    <td class="num">{formatBytes(bytes)}</td>
                    <td>{summary.createdBy}</td>
                    <td>
                      <time datetime={summary.createdAt}>{formatTime(summary.createdAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {props.datasets.length ? (
        <section aria-labelledby="datasets-h">
          <h2 id="datasets-h">Datasets</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">Size</th>
                  <th scope="col">Registered by</th>
                  <th scope="col">Registered at</th>
                </tr>
              </thead>
              <tbody>
                {props.datasets.map((dataset) => (
                  <tr>
                    <td>{dataset.name ?? '—'}</td>
                    <td>
                      <a href={`/ui?q=${dataset.sha256}`}>
                        <code>{shortId(dataset.sha256)}</code>
                      </a>
                    </td>
                    <td class="num">{formatBytes(dataset.bytes)}</td>
                    <td>{dataset.createdBy}</td>
                    <td>
                      <time datetime={dataset.createdAt}>{formatTime(dataset.createdAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
