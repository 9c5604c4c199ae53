import type { Child } from 'hono/jsx';
import { formatTime, shortId } from './format.js';

/** A scrollable table with one column header per entry of `columns`; the rows are the children. */
export function DataTable(props: {
  readonly columns: readonly string[];
  readonly class?: string;
  readonly children?: Child;
}) {
  return (
    <div class="table-wrap">
      <table class={props.class}>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** A page section labelled by its own heading, so screen readers announce it by name. */
export function Section(props: { readonly id: string; readonly title: string; readonly children?: Child }) {
  return (
    <section aria-labelledby={`${props.id}-h`}>
      <h2 id={`${props.id}-h`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** An instant shown for people, with the exact ISO time kept machine-readable. */
export function Timestamp(props: { readonly at: string }) {
  return <time datetime={props.at}>{formatTime(props.at)}</time>;
}

/** A link to a manifest's page, showing its short id. */
export function ManifestLink(props: { readonly id: string }) {
  return (
    <a href={`/ui/splits/${props.id}`}>
      <code>{shortId(props.id)}</code>
    </a>
  );
}
