/**
 * Join indexes: an index on every column the project joins on, so that a filter's join finds its
 * matches through an index instead of reading (and sorting) the whole joined table. Filters join
 * through the relations of System documents and through Links (join-paths.ts in filters), so those
 * columns are the ones indexed: both ends of every relation and the plain-column sides of every link
 * that compares values as they are.
 * Key columns (primary and reference keys) already have a unique index of their own (vault-table.ts).
 *
 * Each index covers the current rows only (`WHERE _to IS NULL`, as the current-rows view reads),
 * is named `<table>__join_<column>` and made with IF NOT EXISTS; the step first reads which exist,
 * so a project loaded again with the same joins runs no DDL at all. When the project stops joining
 * on a column, the next step drops its index. An index costs its upkeep at each collection.
 */
import { createHash } from 'node:crypto'
import type { ColumnType } from '../core/index.ts'
import type { LinkConfig, SystemConfig } from '../config/index.ts'
import { quoteIdentifier as q } from './driver/dialect.ts'
import type { SqlExecutor } from './driver/sql-driver.ts'
import type { StoredTableSchema } from './vault-table.ts'

/** What the step reads from the project: the systems (their relations) and the links. */
export interface JoinedProject {
  readonly systems: readonly Pick<SystemConfig, 'name' | 'relations'>[]
  readonly links: readonly Pick<
    LinkConfig,
    'left' | 'right' | 'leftExpression' | 'rightExpression' | 'caseInsensitive'
  >[]
}

export interface JoinIndexOptions {
  /**
   * Drop the join indexes the project no longer needs. A collection, which sees one system only,
   * creates without dropping. @default true
   */
  readonly drop?: boolean | undefined
}

/** What one step did, by index name. */
export interface JoinIndexReport {
  readonly created: readonly string[]
  readonly dropped: readonly string[]
  /** Needed and already there. */
  readonly kept: readonly string[]
}

/** `system.table` → the columns joined on, as the project spells them. */
export function joinedColumns(project: JoinedProject): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>()
  const add = (system: string, table: string, column: string) => {
    const key = `${system}.${table}`.toLowerCase()
    if (!wanted.has(key)) wanted.set(key, new Set())
    wanted.get(key)!.add(column)
  }
  for (const system of project.systems) {
    for (const r of system.relations) {
      add(r.system, r.fromTable, r.fromColumn)
      add(r.system, r.toTable, r.toColumn)
    }
  }
  // A side with a normalising expression, or a case-insensitive link (lower() on both sides),
  // compares an expression, which a column index cannot serve.
  for (const link of project.links) {
    if (link.caseInsensitive) continue
    if (link.leftExpression === undefined) add(link.left.system, link.left.table, link.left.column)
    if (link.rightExpression === undefined) add(link.right.system, link.right.table, link.right.column)
  }
  return wanted
}

/** PostgreSQL keeps 63 bytes of a name; the table's base name is at most 40 (vault-table.ts). */
export function joinIndexName(sqlName: string, column: string): string {
  const name = `${sqlName}__join_${column}`
  if (/^[a-z0-9_]+$/.test(column) && name.length <= 60) return name
  // Other spellings (upper case, spaces, long names) get a hash, so that `Dept` and `dept` stay apart.
  const slug = column
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 8)
  return `${sqlName}__join_${slug}_${createHash('sha1').update(column).digest('hex').slice(0, 8)}`
}

/** Multi-valued columns hold JSON text and are joined through their side table, never by value. */
const JOINABLE: ReadonlySet<ColumnType> = new Set(['string', 'integer', 'number', 'boolean', 'date', 'datetime'])

interface Wanted {
  readonly name: string
  readonly versions: string
  readonly column: string
}

/** The join indexes the project needs on the tables collected so far. */
async function wantedIndexes(db: SqlExecutor, project: JoinedProject): Promise<Wanted[]> {
  const joined = joinedColumns(project)
  const tables = await db.query<{ system: string; table_name: string; sql_name: string; schema_json: string }>(
    'SELECT system, table_name, sql_name, schema_json FROM vault_tables ORDER BY system, table_name',
  )
  const wanted: Wanted[] = []
  for (const t of tables) {
    const columns = joined.get(`${t.system}.${t.table_name}`.toLowerCase())
    if (columns === undefined) continue
    const stored = JSON.parse(t.schema_json) as StoredTableSchema
    const keys = new Set([...(stored.primaryKey === null ? [] : [stored.primaryKey]), ...stored.referenceKeys])
    for (const column of columns) {
      const physical = stored.physical.find((c) => c.name === column)
      // Not collected yet (the next step after a collection adds it), or already a key's unique index.
      if (physical === undefined || !JOINABLE.has(physical.type) || keys.has(column)) continue
      wanted.push({ name: joinIndexName(t.sql_name, column), versions: `${t.sql_name}__versions`, column })
    }
  }
  return wanted
}

/** The join indexes that exist, with their tables (only indexes on vault versions tables count). */
async function existingIndexes(db: SqlExecutor): Promise<{ name: string; table: string }[]> {
  const rows =
    db.dialect.name === 'sqlite'
      ? await db.query<{ name: string; tbl: string }>(
          "SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type = 'index' AND instr(name, '__join_') > 0",
        )
      : await db.query<{ name: string; tbl: string }>(
          "SELECT indexname AS name, tablename AS tbl FROM pg_indexes WHERE schemaname = current_schema() AND strpos(indexname, '__join_') > 0",
        )
  const versions = new Set(
    (await db.query<{ sql_name: string }>('SELECT sql_name FROM vault_tables')).map((t) => `${t.sql_name}__versions`),
  )
  return rows.filter((r) => versions.has(r.tbl)).map((r) => ({ name: r.name, table: r.tbl }))
}

/**
 * SQLite plans without statistics by default, and then takes a unique key lookup as cheaper than an
 * index it knows nothing about: it scanned all contracts through a new join index, looked each
 * employee up by key and sorted the whole join for a page of 100 (700 ms at 100k) instead of reading
 * employees in order and finding each one's contracts (under 1 ms). `ANALYZE` of the tables that got
 * join indexes tells it how many rows a key finds; the analysis limit keeps that about 20 ms at any
 * size. https://www.sqlite.org/lang_analyze.html#approximate_analyze
 * PostgreSQL keeps column statistics of its own (and collections analyze, collection-writer.ts).
 */
async function analyzeSqlite(db: SqlExecutor, tables: ReadonlySet<string>): Promise<void> {
  if (db.dialect.name !== 'sqlite' || tables.size === 0) return
  await db.exec('PRAGMA analysis_limit = 2000')
  try {
    for (const table of tables) await db.exec(`ANALYZE ${q(table)}`)
  } finally {
    await db.exec('PRAGMA analysis_limit = 0')
  }
}

/** Join indexes SQLite has no statistics for (made before it analyzed, or its statistics were cleared). */
async function unanalyzed(db: SqlExecutor, wanted: readonly Wanted[]): Promise<Wanted[]> {
  if (db.dialect.name !== 'sqlite' || wanted.length === 0) return []
  const stat = await db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
  if (stat.length === 0) return [...wanted]
  const known = new Set((await db.query<{ idx: string }>('SELECT idx FROM sqlite_stat1')).map((r) => r.idx))
  return wanted.filter((w) => !known.has(w.name))
}

/**
 * Creates the indexes on the columns the project joins on that are missing, and (unless `drop` is
 * false) drops those it no longer joins on. Tables not collected yet are skipped; a collection
 * calls it again for its system. Safe to run from several processes (IF NOT EXISTS / IF EXISTS).
 *
 * @example
 * await ensureJoinIndexes(db, project) // at server start, `provisio filter run`, `provisio job evaluate`
 */
export async function ensureJoinIndexes(
  db: SqlExecutor,
  project: JoinedProject,
  options: JoinIndexOptions = {},
): Promise<JoinIndexReport> {
  const wanted = await wantedIndexes(db, project)
  const existing = await existingIndexes(db)
  const present = new Set(existing.map((e) => e.name))
  const needed = new Set(wanted.map((w) => w.name))
  const created: string[] = []
  const kept: string[] = []
  const analyze = new Set<string>()
  for (const w of wanted) {
    if (present.has(w.name)) {
      kept.push(w.name)
      continue
    }
    // Current rows only: the view every filter reads is `WHERE _to IS NULL` (so both databases
    // prove the index usable), and the index stays small however long the history grows. Nulls
    // stay in: PostgreSQL would have to prove `column IS NOT NULL` from a join clause to use it.
    await db.exec(`CREATE INDEX IF NOT EXISTS ${q(w.name)} ON ${q(w.versions)} (${q(w.column)}) WHERE _to IS NULL`)
    created.push(w.name)
    analyze.add(w.versions)
  }
  for (const w of await unanalyzed(db, wanted)) analyze.add(w.versions)
  await analyzeSqlite(db, analyze)
  const dropped: string[] = []
  if (options.drop !== false) {
    for (const e of existing) {
      if (needed.has(e.name)) continue
      await db.exec(`DROP INDEX IF EXISTS ${q(e.name)}`)
      dropped.push(e.name)
    }
  }
  return { created, dropped, kept }
}

const done = new WeakMap<SqlExecutor, WeakMap<object, Promise<JoinIndexReport>>>()

/**
 * {@link ensureJoinIndexes} once per vault and project object: for callers that get the same
 * project object until its files change (the server's project loader), a call per request costs a
 * map lookup, and a reloaded project is checked again. A failed step is tried again next time.
 */
export function ensureJoinIndexesOnce(db: SqlExecutor, project: JoinedProject): Promise<JoinIndexReport> {
  let perDb = done.get(db)
  if (perDb === undefined) done.set(db, (perDb = new WeakMap()))
  let step = perDb.get(project)
  if (step === undefined) {
    step = ensureJoinIndexes(db, project)
    perDb.set(project, step)
    step.catch(() => perDb.delete(project))
  }
  return step
}

/**
 * A project loader that brings the join indexes up to date whenever it hands out a project it has
 * not handed out before (the server's loader gives a new object only when the files changed). A
 * failed step does not fail the load: filters give the same rows without the indexes, only slower;
 * `onError` hears of it and the next load tries again.
 *
 * @example
 * const project = withJoinIndexes(db, projectLoader(dir), (e) => logger.warn(`join indexes: ${e}`))
 */
export function withJoinIndexes<P extends JoinedProject>(
  db: SqlExecutor,
  load: () => Promise<P>,
  onError: (error: unknown) => void = () => {},
): () => Promise<P> {
  return async () => {
    const project = await load()
    await ensureJoinIndexesOnce(db, project).catch(onError)
    return project
  }
}
