import { type Context, Hono } from 'hono';
import {
  AliasParam,
  AliasPolicyRequest,
  AliasSplitParam,
  HistoryQuery,
  PageQuery,
  PutAliasRequest,
  RollbackRequest,
} from '../../../schemas/api.js';
import type { AliasMove } from '../../../schemas/records.js';
import { ConflictError, NotFoundError, RevisionConflictError, ValidationError } from '../../core/errors.js';
import { auditEntry } from '../audit-entry.js';
import type { AppEnv } from '../context.js';
import type { AppDeps } from '../deps.js';
import { downloadQuery, respondWithDownload } from '../download.js';
import { readJson, readParams, readQuery } from '../request.js';
import { guardTestLeak } from '../test-leak-guard.js';
import { mustGetManifest } from './splits.js';

/** What `IdRef` accepts as a short id: such a name would shadow, or be shadowed by, an id. */
const LOOKS_LIKE_ID = /^[0-9a-f]{8,64}$/;

/**
 * The revision a move or policy change writes against: the one it read, so the quarantine
 * check and the compare-and-swap are about the same target. A body that expects another
 * revision is refused as the swap would refuse it, even when a move racing this request is
 * about to write that revision: its target was never the one checked. Reads are strongly
 * consistent on both backends, so a client that saw revision N never reads an older one.
 */
function revisionToWrite(name: string, read: number, expected: number | undefined): number {
  if (expected === undefined || expected === read) return read;
  throw new RevisionConflictError(`alias ${name} is at revision ${read}, not the expected ${expected}`, {
    details: { name, expected, actual: read },
  });
}

/** Named, movable pointers to manifests; every move is a new revision, nothing is erased. */
export function aliasRoutes(deps: AppDeps): Hono<AppEnv> {
  const now = deps.now ?? (() => new Date());
  const mustGetAlias = async (name: string) => {
    const alias = await deps.lineage.getAlias(name);
    if (!alias) throw new NotFoundError('ALIAS.NOT_FOUND', `no alias ${name}`);
    return alias;
  };
  const move = async (
    c: Context<AppEnv>,
    name: string,
    manifestId: string,
    expectedRevision: number,
    action: AliasMove['action'],
    reason: string,
    facts: { quarantine?: boolean; testLeak?: object } = {},
  ) => {
    const at = now();
    return deps.lineage.moveAlias({
      name,
      manifestId,
      expectedRevision,
      action,
      actor: c.get('identity').actor,
      reason,
      requestId: c.get('requestId'),
      at: at.toISOString(),
      quarantine: facts.quarantine,
      audit: auditEntry(c, at, {
        action,
        target: `alias:${name}`,
        reason,
        details: { manifestId, expectedRevision, ...facts },
      }),
    });
  };

  return new Hono<AppEnv>()
    .get('/', async (c) => c.json(await deps.lineage.listAliases(readQuery(c, PageQuery))))
    .get('/:name', async (c) => c.json(await mustGetAlias(readParams(c, AliasParam).name)))
    .put('/:name', async (c) => {
      const { name } = readParams(c, AliasParam);
      const body = await readJson(c, PutAliasRequest);
      await mustGetManifest(deps.lineage, body.manifestId);
      const current = await deps.lineage.getAlias(name);
      // A new alias must not read as a short id; one made before this rule keeps working.
      if (!current && LOOKS_LIKE_ID.test(name)) {
        throw new ValidationError(
          'ALIAS.LOOKS_LIKE_ID',
          `alias name ${name} is 8 or more hex characters, which read as a short id; add another character`,
        );
      }
      // The policy changes only through /policy, so a move can't lift its own quarantine.
      if (current && body.quarantine !== undefined && body.quarantine !== !!current.quarantine) {
        throw new ConflictError('ALIAS.POLICY_CHANGE', 'use PUT .../policy');
      }
      const facts = await guardTestLeak(deps.leakage, current, body.manifestId, body.allowTestLeak);
      // Every alias, not only a quarantined one: the policy itself may change between the read
      // and the swap, and a move without expectedRevision always swapped against the read
      // revision anyway. Checked after the guard, so a stale move that leaks still says so.
      const expected = revisionToWrite(name, current?.revision ?? 0, body.expectedRevision);
      const alias = await move(c, name, body.manifestId, expected, 'alias.set', body.reason, {
        quarantine: current ? undefined : body.quarantine,
        ...facts,
      });
      return c.json(alias, alias.revision === 1 ? 201 : 200);
    })
    .put('/:name/policy', async (c) => {
      const { name } = readParams(c, AliasParam);
      const body = await readJson(c, AliasPolicyRequest);
      const { manifestId, revision } = await mustGetAlias(name);
      const { quarantine, reason } = body;
      // Written on the manifest read, so against that revision: a move landing in between
      // must make this refuse, never be undone unchecked as a policy revision.
      const expected = revisionToWrite(name, revision, body.expectedRevision);
      return c.json(await move(c, name, manifestId, expected, 'alias.policy', reason, { quarantine }));
    })
    .post('/:name/rollback', async (c) => {
      const { name } = readParams(c, AliasParam);
      const body = await readJson(c, RollbackRequest);
      const current = await mustGetAlias(name);
      if (body.expectedRevision !== undefined && body.expectedRevision !== current.revision) {
        throw new RevisionConflictError(
          `alias ${name} is at revision ${current.revision}, not ${body.expectedRevision}`,
        );
      }
      let target: string | undefined;
      if (body.toRevision !== undefined) {
        const old = await deps.lineage.aliasRevision(name, body.toRevision);
        if (!old)
          throw new NotFoundError(
            'ALIAS.REVISION_NOT_FOUND',
            `alias ${name} has no revision ${body.toRevision}`,
          );
        target = old.manifestId;
      } else {
        // Policy revisions don't move the alias: roll back past them to the last real move.
        let revision = current.revision + 1;
        let last: AliasMove | undefined;
        do last = await deps.lineage.aliasRevision(name, --revision);
        while (last?.action === 'alias.policy');
        target = last?.previousManifestId;
        if (!target)
          throw new ConflictError('ALIAS.NO_PREVIOUS', `alias ${name} has no earlier target to roll back to`);
      }
      const facts = await guardTestLeak(deps.leakage, current, target, body.allowTestLeak);
      return c.json(await move(c, name, target, current.revision, 'alias.rollback', body.reason, facts));
    })
    .get('/:name/history', async (c) => {
      const { name } = readParams(c, AliasParam);
      const { at, limit, cursor } = readQuery(c, HistoryQuery);
      await mustGetAlias(name);
      if (at === undefined) return c.json(await deps.lineage.aliasHistory(name, { limit, cursor }));
      const then = await deps.lineage.aliasAt(name, at);
      if (!then) throw new NotFoundError('ALIAS.NOT_AT_TIME', `alias ${name} did not exist at ${at}`);
      return c.json(then);
    })
    .get('/:name/splits/:split', async (c) => {
      const { name, split } = readParams(c, AliasSplitParam);
      downloadQuery(c);
      const alias = await mustGetAlias(name);
      const manifest = await mustGetManifest(deps.lineage, alias.manifestId);
      return respondWithDownload(c, deps.blobs, deps.presignSeconds, {
        kind: 'artifact',
        ...manifest.splits[split],
        filename: `${name}-${split}.arrow`,
      });
    });
}
