import type { AliasMove, AliasRecord } from '../../../schemas/records.js';
import { ManifestLink, Section, Timestamp } from '../components.js';
import { formatTime, shortId } from '../format.js';

export interface AliasProps {
  readonly alias: AliasRecord;
  readonly history: readonly AliasMove[];
  /** The revision in force at `asOf`, when the reader travelled back in time. */
  readonly asOf?: { readonly at: string; readonly revision?: number };
  /** Deployers see the rollback form; readers don't. */
  readonly canRollBack: boolean;
  /** A refused rollback: what the form said and why the API refused it. */
  readonly conflict?: string;
  /** The revision the last rollback made, announced at the top. */
  readonly moved?: number;
}

/**
 * Every revision of an alias, newest first, with the current one marked. "As of" marks the
 * revision that was in force at a past time instead of computing anything in the page.
 */
export function AliasPage(props: AliasProps) {
  const { alias } = props;
  return (
    <>
      <h1>
        Alias <span class="alias-name">{alias.name}</span>
      </h1>
      {props.moved ? (
        <p class="notice" role="status">
          Rolled back: {alias.name} is now at revision {props.moved}.
        </p>
      ) : null}
      {props.conflict ? (
        <p class="problem" role="alert">
          Not rolled back: {props.conflict}. The alias was left as it is; check the timeline and try again.
        </p>
      ) : null}
      <p class="current">
        Revision <strong data-current-revision={alias.revision}>{alias.revision}</strong> points at{' '}
        <ManifestLink id={alias.manifestId} /> since <Timestamp at={alias.updatedAt} />.
        {alias.quarantine ? (
          <span
            class="badge"
            data-quarantine="on"
            title="moves that would train on its test rows are refused"
          >
            test quarantine
          </span>
        ) : null}
      </p>
      <form class="as-of" method="get" action={`/ui/aliases/${alias.name}`}>
        <label for="at">As of (UTC)</label>
        <input
          id="at"
          name="at"
          type="datetime-local"
          step="0.001"
          value={props.asOf?.at.slice(0, 23) ?? ''}
        />
        <button type="submit">Show</button>
        {props.asOf ? <a href={`/ui/aliases/${alias.name}`}>Back to now</a> : null}
      </form>
      {props.asOf ? (
        <p class="notice" role="status">
          {props.asOf.revision === undefined
            ? `${alias.name} did not exist at ${formatTime(props.asOf.at)}.`
            : `At ${formatTime(props.asOf.at)} ${alias.name} was at revision ${props.asOf.revision}.`}
        </p>
      ) : null}
      <Section id="timeline" title="Timeline">
        <ol class="timeline">
          {props.history.map((move) => {
            const current = move.revision === alias.revision;
            const then = move.revision === props.asOf?.revision;
            return (
              <li
                class={`${current ? 'current' : ''} ${then ? 'as-of-hit' : ''}`.trim() || undefined}
                data-revision={move.revision}
                aria-current={current ? 'true' : undefined}
              >
                <p class="rev">
                  Revision {move.revision}
                  {current ? <span class="badge">current</span> : null}
                  {then ? <span class="badge">as of</span> : null}
                </p>
                <p>
                  {move.action === 'alias.policy' ? (
                    <>
                      Test quarantine turned {move.quarantine ? 'on' : 'off'} by {move.actor} at{' '}
                      <Timestamp at={move.at} />
                    </>
                  ) : (
                    <>
                      {move.action === 'alias.rollback' ? 'Rolled back to ' : 'Set to '}
                      <ManifestLink id={move.manifestId} /> by {move.actor} at <Timestamp at={move.at} />
                    </>
                  )}
                </p>
                <p class="reason">“{move.reason}”</p>
              </li>
            );
          })}
        </ol>
      </Section>
      {props.canRollBack ? <RollbackForm alias={alias} history={props.history} /> : null}
    </>
  );
}

function RollbackForm(props: { readonly alias: AliasRecord; readonly history: readonly AliasMove[] }) {
  const earlier = props.history.filter((move) => move.revision < props.alias.revision);
  if (!earlier.length) return null;
  return (
    <Section id="rollback" title="Roll back">
      <form class="rollback" method="post" action={`/ui/aliases/${props.alias.name}/rollback`}>
        <label for="toRevision">To the target of revision</label>
        <select id="toRevision" name="toRevision">
          {earlier.map((move) => (
            <option value={String(move.revision)}>
              {`${move.revision}: ${shortId(move.manifestId)} (${move.reason.slice(0, 40)})`}
            </option>
          ))}
        </select>
        <label for="reason">Reason (recorded in the audit log)</label>
        <input id="reason" name="reason" type="text" required maxlength={1024} />
        <label for="expectedRevision">Expected current revision</label>
        <input
          id="expectedRevision"
          name="expectedRevision"
          type="number"
          min="1"
          required
          value={String(props.alias.revision)}
        />
        <p class="hint">
          If someone moved the alias since this page was loaded, the rollback is refused rather than
          overwriting their move.
        </p>
        <button type="submit">Roll back</button>
      </form>
    </Section>
  );
}
