/**
 * Jobs in the embedded store. A job's revision lives inside its JSON record; the read and the
 * write of a swap share the caller's BEGIN IMMEDIATE transaction, which makes them one
 * compare-and-swap even across processes on the same data dir.
 */
import type { Database } from 'better-sqlite3';
import type { Job } from '../../../schemas/records.js';
import { AlreadyExistsError, NotFoundError } from '../../core/errors.js';
import { FINISHED_JOB_STATES, jobFinished } from '../common/lineage-rules.js';

export function createJob(db: Database, job: Job): void {
  const inserted = db
    .prepare('INSERT INTO jobs (id, state, data) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
    .run(job.id, job.state, JSON.stringify(job));
  if (inserted.changes === 0)
    throw new AlreadyExistsError('JOB.ALREADY_EXISTS', `job ${job.id} already exists`);
}

function stored(db: Database, id: string): Job {
  const row = db.prepare('SELECT data FROM jobs WHERE id = ?').get(id) as { data: string } | undefined;
  if (row === undefined) throw new NotFoundError('JOB.NOT_FOUND', `job ${id} does not exist`);
  return JSON.parse(row.data) as Job;
}

function write(db: Database, job: Job): void {
  db.prepare('UPDATE jobs SET state = ?, data = ? WHERE id = ?').run(job.state, JSON.stringify(job), job.id);
}

/** Must run inside the caller's BEGIN IMMEDIATE transaction. */
export function updateJob(db: Database, job: Job): void {
  const current = stored(db, job.id);
  if (FINISHED_JOB_STATES.has(current.state)) throw jobFinished(job.id, current.state);
  write(db, job);
}

/** Must run inside the caller's BEGIN IMMEDIATE transaction. */
export function swapJob(db: Database, job: Job, expectedRevision: number): boolean {
  const current = stored(db, job.id);
  if (FINISHED_JOB_STATES.has(current.state) || (current.revision ?? 0) !== expectedRevision) return false;
  write(db, job);
  return true;
}

/** Insertion order is creation order, so rowid gives oldest first without parsing records. */
export function listUnfinishedJobs(db: Database, limit: number): Job[] {
  const rows = db
    .prepare("SELECT data FROM jobs WHERE state IN ('queued', 'running') ORDER BY rowid LIMIT ?")
    .all(limit) as { data: string }[];
  return rows.map((row) => JSON.parse(row.data) as Job);
}
