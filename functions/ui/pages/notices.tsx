/** A problem page: the API's detail and code, so the reader knows what to fix. */
export function ProblemPage(props: {
  readonly title: string;
  readonly detail: string;
  readonly code: string;
}) {
  return (
    <>
      <h1>{props.title}</h1>
      <p class="problem" role="alert">
        {props.detail} <code>{props.code}</code>
      </p>
      <p>
        <a href="/ui">Back to the catalog</a>
      </p>
    </>
  );
}

/** Shown when the server needs a token the request didn't carry (the script asks for it). */
export function SignInPage(props: { readonly rejected: boolean }) {
  return (
    <>
      <h1>Sign in</h1>
      <noscript>
        <p class="problem">
          This server needs a bearer token, which the console keeps only with JavaScript on.
        </p>
      </noscript>
      {props.rejected ? (
        <p class="problem" role="alert">
          The token was not accepted.
        </p>
      ) : null}
      <form id="sign-in" class="sign-in">
        <label for="token">Bearer token</label>
        {/* No name attribute: the token is never submitted as a form field, so never in a URL. */}
        <input id="token" type="password" autocomplete="off" required />
        <button type="submit">Sign in</button>
        <p class="hint">Kept in this tab's session storage only and sent as an Authorization header.</p>
      </form>
    </>
  );
}
