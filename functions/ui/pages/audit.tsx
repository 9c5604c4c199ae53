import type { AuditEntry } from '../../../schemas/records.js';
import { DataTable, Timestamp } from '../components.js';

export interface AuditFilter {
  readonly actor?: string;
  readonly action?: string;
  readonly target?: string;
}

export interface AuditProps {
  readonly filter: AuditFilter;
  readonly entries: readonly AuditEntry[];
  /** The next page's link, when there is one. */
  readonly next?: string;
}

const ACTIONS = [
  '',
  'dataset.register',
  'split.freeze',
  'split.verify',
  'alias.set',
  'alias.rollback',
  'blob.repair',
];

/** The audit log, newest first, filtered by the API's own actor, action and target filters. */
export function AuditPage(props: AuditProps) {
  return (
    <>
      <h1>Audit log</h1>
      <form class="filters" method="get" action="/ui/audit">
        <label for="f-actor">Actor</label>
        <input id="f-actor" name="actor" type="text" value={props.filter.actor ?? ''} />
        <label for="f-action">Action</label>
        <select id="f-action" name="action">
          {ACTIONS.map((action) => (
            <option value={action} selected={action === (props.filter.action ?? '')}>
              {action || 'any'}
            </option>
          ))}
        </select>
        <label for="f-target">Target</label>
        <input
          id="f-target"
          name="target"
          type="text"
          placeholder="alias:prod"
          value={props.filter.target ?? ''}
        />
        <button type="submit">Filter</button>
      </form>
      {props.entries.length ? null : <p class="empty">No entries match.</p>}
      <DataTable class="audit" columns={['Time', 'Actor', 'Action', 'Target', 'Reason']}>
        {props.entries.map((entry) => (
          <tr>
            <td>
              <Timestamp at={entry.at} />
            </td>
            <td>{entry.actor}</td>
            <td>{entry.action}</td>
            <td>
              <code>{entry.target}</code>
            </td>
            <td>{entry.reason ?? ''}</td>
          </tr>
        ))}
      </DataTable>
      {props.next ? (
        <p>
          <a href={props.next} rel="next">
            Older entries
          </a>
        </p>
      ) : null}
    </>
  );
}
