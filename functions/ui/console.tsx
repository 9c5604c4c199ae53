import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type {
  AliasMove,
  AliasRecord,
  AuditEntry,
  DatasetRecord,
  FreezeEvent,
  StoredManifest,
} from '../../schemas/records.js';
import type { Identity } from '../api/auth/identity.js';
import type { AppEnv } from '../api/context.js';
import type { ConsoleApi } from '../api/deps.js';
import { ApiProblemError, type ApiReader, apiReader, withQuery } from './api-reader.js';
import { loadAssets } from './assets.js';
import { catalogSearch } from './catalog-search.js';
import { Layout } from './layout.js';
import { AliasPage } from './pages/alias.js';
import { AuditPage } from './pages/audit.js';
import { CatalogPage } from './pages/catalog.js';
import { ManifestPage } from './pages/manifest.js';
import { ProblemPage, SignInPage } from './pages/notices.js';
import { rollbackForm } from './rollback-form.js';

export interface ConsoleOptions {
  /** Where console.css and console.js are. @default ./assets/ beside this module */
  readonly assetsDir?: URL;
}

/**
 * Everything a page may load: this origin only, no inline script or style, forms posting only
 * here. The SVG lineage graph is inline markup, which needs no relaxation.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The web console: HTML pages rendered on the server from the app's own JSON routes, called
 * in-process as the caller. Reading needs no script; console.js adds copy buttons, token
 * sign-in and fetch-based navigation that carries the token in a header.
 */
export function consoleRoutes(options: ConsoleOptions = {}): (api: ConsoleApi) => Hono<AppEnv> {
  const assets = loadAssets(options.assetsDir ?? new URL('./assets/', import.meta.url));
  return (api) => {
    const render = (c: Context<AppEnv>, title: string, body: Child, status = 200, extra = {}) => {
      c.header('content-security-policy', PAGE_POLICY);
      c.header('cache-control', 'no-store');
      // same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts,
      // which the loopback server rightly refuses. No page links off-site, so nothing leaks.
      c.header('referrer-policy', 'same-origin');
      const identity = c.get('identity') as Identity | undefined;
      return c.html(
        <Layout title={title} assets={assets} {...extra} {...(identity ? { actor: identity.actor } : {})}>
          {body}
        </Layout>,
        status as 200,
      );
    };
    /** Runs a page, turning an API refusal into a page that says why. */
    const page =
      (handler: (c: Context<AppEnv>, api: ApiReader) => Promise<Response>) => async (c: Context<AppEnv>) => {
        try {
          return await handler(c, apiReader(api, c));
        } catch (err) {
          if (!(err instanceof ApiProblemError)) throw err;
          const title = err.status === 404 ? 'Not found' : 'The API refused';
          return render(
            c,
            title,
            <ProblemPage title={title} detail={err.message} code={err.code} />,
            err.status,
          );
        }
      };

    return new Hono<AppEnv>()
      .get('/assets/:file', (c) => assets.serve(c))
      .use('*', async (c, next) => {
        try {
          c.set('identity', await api.authenticator.authenticate(c));
        } catch {
          // No or a wrong token: the sign-in page, where the script asks for one.
          const rejected = c.req.header('authorization') !== undefined;
          return render(c, 'Sign in', <SignInPage rejected={rejected} />, 401, { needsToken: true });
        }
        return next();
      })
      .get(
        '/',
        page(async (c, reader) => {
          const q = c.req.query('q')?.trim() || undefined;
          return render(
            c,
            q ? `Search ${q}` : 'Catalog',
            <CatalogPage {...(await catalogSearch(reader, q))} />,
            200,
            {
              ...(q ? { query: q } : {}),
            },
          );
        }),
      )
      .get(
        '/splits/:id',
        page(async (c, reader) => {
          const id = encodeURIComponent(c.req.param('id') ?? '');
          const { manifest, freezeEvents } = await reader.get<{
            manifest: StoredManifest;
            freezeEvents: FreezeEvent[];
          }>(`/v1/splits/${id}`);
          const [lineage, dataset] = await Promise.all([
            reader.get<{
              ancestors: { id: string; depth: number }[];
              descendants: { id: string; depth: number }[];
            }>(`/v1/splits/${manifest.id}/lineage?depth=1`),
            reader.get<DatasetRecord>(`/v1/datasets/${manifest.dataset.sha256}`),
          ]);
          return render(
            c,
            `Manifest ${manifest.id.slice(0, 12)}`,
            <ManifestPage
              manifest={manifest}
              freezeEvents={freezeEvents}
              {...(dataset.name ? { datasetName: dataset.name } : {})}
              ancestors={lineage.ancestors.map((n) => n.id)}
              descendants={lineage.descendants.map((n) => n.id)}
            />,
          );
        }),
      )
      .get(
        '/aliases/:name',
        page(async (c, reader) => aliasView(c, reader, {})),
      )
      .post(
        '/aliases/:name/rollback',
        page(async (c, reader) => {
          const name = c.req.param('name') ?? '';
          const form = await rollbackForm(c);
          try {
            const moved = await reader.send<AliasRecord>(
              'POST',
              `/v1/aliases/${encodeURIComponent(name)}/rollback`,
              form,
            );
            return c.redirect(`/ui/aliases/${encodeURIComponent(name)}?moved=${moved.revision}`, 303);
          } catch (err) {
            if (!(err instanceof ApiProblemError) || err.status !== 409) throw err;
            return aliasView(c, reader, { conflict: err.message }, 409);
          }
        }),
      )
      .get(
        '/audit',
        page(async (c, reader) => {
          const filter = {
            actor: c.req.query('actor') || undefined,
            action: c.req.query('action') || undefined,
            target: c.req.query('target') || undefined,
          };
          const cursor = c.req.query('cursor') || undefined;
          const result = await reader.get<{ items: AuditEntry[]; cursor?: string }>(
            withQuery('/v1/audit', { ...filter, cursor, limit: '50' }),
          );
          const next = result.cursor
            ? withQuery('/ui/audit', { ...filter, cursor: result.cursor })
            : undefined;
          return render(
            c,
            'Audit',
            <AuditPage filter={filter} entries={result.items} {...(next ? { next } : {})} />,
          );
        }),
      )
      .all('*', (c) =>
        // Hono's routes are strict about the trailing slash, and "/ui/" is what people type.
        c.req.path === '/ui/'
          ? c.redirect('/ui')
          : render(
              c,
              'Not found',
              <ProblemPage title="Not found" detail="No console page here." code="UI.NOT_FOUND" />,
              404,
            ),
      );

    async function aliasView(
      c: Context<AppEnv>,
      reader: ApiReader,
      extra: { conflict?: string },
      status = 200,
    ): Promise<Response> {
      const name = encodeURIComponent(c.req.param('name') ?? '');
      const [alias, history] = await Promise.all([
        reader.get<AliasRecord>(`/v1/aliases/${name}`),
        reader.get<{ items: AliasMove[] }>(`/v1/aliases/${name}/history?limit=100`),
      ]);
      const atInput = c.req.query('at');
      let asOf: { at: string; revision?: number } | undefined;
      if (atInput) {
        // datetime-local sends no zone; the field is labelled UTC, so read it as UTC.
        const parsed = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(atInput) ? atInput : `${atInput}Z`);
        const at = Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
        try {
          if (!at) throw new ApiProblemError(400, 'UI.BAD_TIME', `${atInput} is not a time`);
          const then = await reader.get<AliasMove>(withQuery(`/v1/aliases/${name}/history`, { at }));
          asOf = { at, revision: then.revision };
        } catch (err) {
          if (!(err instanceof ApiProblemError) || err.status !== 404 || !at) throw err;
          asOf = { at };
        }
      }
      const moved = Number(c.req.query('moved')) || undefined;
      const identity = c.get('identity');
      return render(
        c,
        `Alias ${alias.name}`,
        <AliasPage
          alias={alias}
          history={history.items}
          canRollBack={identity.roles.has('deployer')}
          {...(asOf ? { asOf } : {})}
          {...(moved ? { moved } : {})}
          {...extra}
        />,
        status,
      );
    }
  };
}
