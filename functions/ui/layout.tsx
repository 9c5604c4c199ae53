import type { Child } from 'hono/jsx';

export interface LayoutProps {
  readonly title: string;
  readonly assets: { readonly css: string; readonly js: string };
  /** Who is reading, shown in the header; absent on the sign-in page. */
  readonly actor?: string;
  /** The search box keeps what was searched. */
  readonly query?: string;
  /** Set on the sign-in page, where the script asks for a token. */
  readonly needsToken?: boolean;
  readonly children?: Child;
}

/**
 * The page around every console view. The style sheet is in the head and nothing is sized by
 * script, so the first paint is the final layout; the script is deferred and only adds
 * behaviour (copy, token sign-in, in-page navigation).
 */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{`${props.title} · splitvault`}</title>
        <link rel="stylesheet" href={props.assets.css} />
        <script src={props.assets.js} defer />
      </head>
      <body data-needs-token={props.needsToken ? 'true' : undefined}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <nav aria-label="Console">
            <a class="brand" href="/ui">
              splitvault
            </a>
            <a href="/ui">Catalog</a>
            <a href="/ui/audit">Audit</a>
          </nav>
          <form class="search" method="get" action="/ui">
            <label for="q" class="visually-hidden">
              Search by name or id prefix
            </label>
            <input id="q" name="q" type="search" placeholder="Name or id prefix" value={props.query ?? ''} />
            <button type="submit">Search</button>
          </form>
          {props.actor ? (
            <p class="actor">
              <span class="visually-hidden">Signed in as </span>
              {props.actor}
              <button type="button" class="sign-out" hidden>
                Sign out
              </button>
            </p>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A hash shown in full, selectable in one click, with a button that copies it. */
export function Hash(props: { readonly value: string; readonly label: string }) {
  return (
    <span class="hash">
      <code>{props.value}</code>
      <button type="button" class="copy" data-copy={props.value} aria-label={`Copy ${props.label}`}>
        Copy
      </button>
    </span>
  );
}
