/**
 * Plans: what an evaluation produced, stored before anything is executed (DESIGN.md §2). A plan
 * moves through its statuses under one rule table, applied atomically in the UPDATE itself, so two
 * processes can never both move a plan out of a status it may leave only once.
 */
import { type Clock, systemClock } from '../../core/index.ts'
import type { SqlExecutor, SqlValue } from '../driver/sql-driver.ts'
import { vaultError } from '../errors.ts'
import type { OperationStatus, PlanRecord, PlanSource, PlanStatus, PlanStepSummary } from '../plan-types.ts'
import { optionalText, placeholders } from './stored-json.ts'

export interface CreatePlanOptions {
  readonly source: PlanSource
  /**
   * `evaluating` while the evaluation still stores operations (it moves the plan to `planned` when
   * every step is stored); `planned` for a plan whose operations are stored before anything can
   * read it. @default 'evaluating'
   */
  readonly status?: Extract<PlanStatus, 'evaluating' | 'planned'> | undefined
  /** @default [] (set them with updatePlan once the evaluation has summarised them) */
  readonly steps?: readonly PlanStepSummary[] | undefined
  /** @default systemClock */
  readonly clock?: Clock | undefined
}

/**
 * The statuses a plan may move to from each status. Only a plan whose evaluation stored every step
 * (`planned`) ever reaches `executing`: an `evaluating` plan may still lack operations (or its
 * process died while storing them), and an `evaluation-failed` one broke off, so both can never be
 * executed — `evaluation-failed` is final, and `evaluating` leads only to `planned` or
 * `evaluation-failed`. `executing` may repeat (resuming after a crash); an `executed` plan is final.
 */
export const PLAN_TRANSITIONS: Readonly<Record<PlanStatus, readonly PlanStatus[]>> = {
  evaluating: ['planned', 'evaluation-failed'],
  'evaluation-failed': [],
  planned: ['executing', 'stopped', 'failed', 'rejected'],
  executing: ['executing', 'executed', 'partially-failed', 'failed', 'stopped', 'interrupted'],
  stopped: ['executing', 'stopped'],
  interrupted: ['executing'],
  'partially-failed': ['executing'],
  failed: ['executing'],
  executed: [],
  rejected: [],
}

/** Whether a plan in this status may be executed (or resumed): never one whose evaluation did not finish. */
export function isExecutable(status: PlanStatus): boolean {
  return PLAN_TRANSITIONS[status].includes('executing')
}

/** Stores a new plan (status `evaluating` unless told otherwise) and returns its id. */
export async function createPlan(db: SqlExecutor, options: CreatePlanOptions): Promise<number> {
  const now = (options.clock ?? systemClock).now().toISOString()
  const rows = await db.query<{ id: number }>(
    'INSERT INTO plans (source_kind, source_name, status, created_at, steps_json) VALUES (?, ?, ?, ?, ?) RETURNING id',
    [
      options.source.kind,
      options.source.name,
      options.status ?? 'evaluating',
      now,
      JSON.stringify(options.steps ?? []),
    ],
  )
  return Number(rows[0]!.id)
}

export interface UpdatePlanOptions {
  /** Must be allowed by {@link PLAN_TRANSITIONS} from the plan's current status. */
  readonly status?: PlanStatus | undefined
  readonly steps?: readonly PlanStepSummary[] | undefined
  readonly executedAt?: string | Date | undefined
}

function predecessors(status: PlanStatus): PlanStatus[] {
  return (Object.keys(PLAN_TRANSITIONS) as PlanStatus[]).filter((from) => PLAN_TRANSITIONS[from].includes(status))
}

/** Changes a plan's status, steps or execution time; throws VLT_UNKNOWN_PLAN or VLT_PLAN_STATE. */
export async function updatePlan(db: SqlExecutor, planId: number, update: UpdatePlanOptions): Promise<void> {
  const sets: string[] = []
  const params: SqlValue[] = []
  const set = (column: string, value: SqlValue) => {
    sets.push(`${column} = ?`)
    params.push(value)
  }
  if (update.status !== undefined) set('status', update.status)
  if (update.steps !== undefined) set('steps_json', JSON.stringify(update.steps))
  if (update.executedAt !== undefined)
    set('executed_at', typeof update.executedAt === 'string' ? update.executedAt : update.executedAt.toISOString())
  if (sets.length === 0) return void (await requirePlanStatus(db, planId))
  const from = update.status === undefined ? undefined : predecessors(update.status)
  const guard = from === undefined ? '' : ` AND status IN (${from.length === 0 ? 'NULL' : placeholders(from.length)})`
  const changed = await db.run(`UPDATE plans SET ${sets.join(', ')} WHERE id = ?${guard}`, [
    ...params,
    planId,
    ...(from ?? []),
  ])
  if (changed === 1) return
  const current = await requirePlanStatus(db, planId)
  throw vaultError('VLT_PLAN_STATE', `Plan ${planId} is ${current}; it cannot become ${update.status}.`, {
    hint: stateHint(current),
    details: { planId, status: current, requested: update.status },
  })
}

function stateHint(current: PlanStatus): string {
  switch (current) {
    case 'executed':
      return 'An executed plan is final: evaluate the job or mapping again for a fresh plan.'
    case 'evaluating':
      return 'Its evaluation has not finished (or its process died before it did), so it may lack operations and is never executed: evaluate the job or mapping again.'
    case 'evaluation-failed':
      return 'Its evaluation broke off, so it may lack operations and is never executed: fix the cause and evaluate the job or mapping again.'
    default:
      return `From ${current} a plan can become: ${PLAN_TRANSITIONS[current].join(', ') || 'nothing'}.`
  }
}

async function requirePlanStatus(db: SqlExecutor, planId: number): Promise<PlanStatus> {
  const rows = await db.query<{ status: PlanStatus }>('SELECT status FROM plans WHERE id = ?', [planId])
  if (rows[0] === undefined) throw unknownPlan(planId)
  return rows[0].status
}

export function unknownPlan(planId: number) {
  return vaultError('VLT_UNKNOWN_PLAN', `There is no plan ${planId}.`, { details: { planId } })
}

async function countsOf(
  db: SqlExecutor,
  ids: readonly number[],
): Promise<Map<number, Partial<Record<OperationStatus, number>>>> {
  const counts = new Map<number, Partial<Record<OperationStatus, number>>>(ids.map((id) => [id, {}]))
  if (ids.length === 0) return counts
  const rows = await db.query<{ plan_id: number; status: OperationStatus; n: number }>(
    `SELECT plan_id, status, COUNT(*) AS n FROM plan_operations WHERE plan_id IN (${placeholders(ids.length)})
      GROUP BY plan_id, status`,
    ids,
  )
  for (const r of rows) counts.get(Number(r.plan_id))![r.status] = Number(r.n)
  return counts
}

function toPlanRecord(r: Record<string, unknown>, counts: Partial<Record<OperationStatus, number>>): PlanRecord {
  return {
    id: Number(r['id']),
    source: { kind: r['source_kind'] as PlanSource['kind'], name: String(r['source_name']) },
    status: r['status'] as PlanStatus,
    createdAt: String(r['created_at']),
    executedAt: optionalText(r['executed_at']),
    counts,
    steps: JSON.parse(String(r['steps_json'])) as PlanStepSummary[],
  }
}

/** One plan with its operation counts; throws VLT_UNKNOWN_PLAN. */
export async function getPlan(db: SqlExecutor, planId: number): Promise<PlanRecord> {
  const rows = await db.query<Record<string, unknown>>('SELECT * FROM plans WHERE id = ?', [planId])
  if (rows[0] === undefined) throw unknownPlan(planId)
  return toPlanRecord(rows[0], (await countsOf(db, [planId])).get(planId)!)
}

export interface ListPlansOptions {
  /** @default 20 */
  readonly limit?: number | undefined
  /** Only the plans of this job or mapping. */
  readonly source?: PlanSource | undefined
}

/** The newest plans first, with their operation counts. */
export async function listPlans(db: SqlExecutor, options: ListPlansOptions = {}): Promise<PlanRecord[]> {
  const where = options.source === undefined ? '' : 'WHERE source_kind = ? AND source_name = ?'
  const params: SqlValue[] = options.source === undefined ? [] : [options.source.kind, options.source.name]
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM plans ${where} ORDER BY id DESC LIMIT ?`, [
    ...params,
    options.limit ?? 20,
  ])
  const counts = await countsOf(
    db,
    rows.map((r) => Number(r['id'])),
  )
  return rows.map((r) => toPlanRecord(r, counts.get(Number(r['id']))!))
}
