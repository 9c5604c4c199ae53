import type { SplitSummary } from '../../../schemas/api.js';
import type { AliasRecord, DatasetRecord } from '../../../schemas/records.js';
import { DataTable, ManifestLink, Section, Timestamp } from '../components.js';
import { formatBytes, formatCount, shortId } from '../format.js';

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
        <Section id="aliases" title="Aliases">
          <DataTable columns={['Alias', 'Points at', 'Revision', 'Moved by', 'Moved at']}>
            {props.aliases.map((alias) => (
              <tr>
                <td>
                  <a href={`/ui/aliases/${alias.name}`}>{alias.name}</a>
                </td>
                <td>
                  <ManifestLink id={alias.manifestId} />
                </td>
                <td class="num">{alias.revision}</td>
                <td>{alias.updatedBy}</td>
                <td>
                  <Timestamp at={alias.updatedAt} />
                </td>
              </tr>
            ))}
          </DataTable>
        </Section>
      ) : null}
      {props.manifests.length ? (
        <Section id="manifests" title="Split manifests">
          <DataTable
            columns={[
              'Manifest',
              'Dataset',
              'Version',
              'Rows (train / validation / test)',
              'Size',
              'Created by',
              'Created at',
            ]}
          >
            {props.manifests.map(({ summary, bytes }) => (
              <tr>
                <td>
                  <ManifestLink id={summary.id} />
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
                  <Timestamp at={summary.createdAt} />
                </td>
              </tr>
            ))}
          </DataTable>
        </Section>
      ) : null}
      {props.datasets.length ? (
        <Section id="datasets" title="Datasets">
          <DataTable columns={['Name', 'SHA-256', 'Size', 'Registered by', 'Registered at']}>
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
                  <Timestamp at={dataset.createdAt} />
                </td>
              </tr>
            ))}
          </DataTable>
        </Section>
      ) : null}
    </>
  );
}
