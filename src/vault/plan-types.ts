/**
 * The stored shapes of plans, operations, runs and the audit (DESIGN.md §6, §8). A plan is what an
 * evaluation produced; its operations are stored before anything is executed, so a plan can be
 * reviewed and executed later *as planned*, and a crash loses nothing: every operation's state is
 * in the vault. Secret attribute values (passwords) are never stored: `secrets` names them.
 */
import type { FunctionSemantics, Row, Value } from '../core/index.ts'

/**
 * `evaluating` (its operations are being stored) → `planned` once every step is stored, or
 * `evaluation-failed` when the evaluation broke off. Neither `evaluating` nor `evaluation-failed`
 * is ever executed: the plan may lack operations (a process that dies while evaluating leaves its
 * plan `evaluating` for good). `planned` → `executing` → `executed` | `partially-failed` | `failed`
 * (execution failures) | `stopped` | `interrupted`; see PLAN_TRANSITIONS. `planned` → `rejected` when
 * a person rejected the run that awaited approval with it: a rejected plan is never executed.
 */
export type PlanStatus =
  | 'evaluating'
  | 'evaluation-failed'
  | 'planned'
  | 'executing'
  | 'executed'
  | 'partially-failed'
  | 'failed'
  | 'stopped'
  | 'interrupted'
  | 'rejected'

/**
 * `planned` → `running` (markRunning, before the connector is called) → `succeeded` | `failed` |
 * `skipped` (settled by the OutcomeWriter). `skipped` is also reached from `planned` (the drift check).
 */
export type OperationStatus = 'planned' | 'running' | 'succeeded' | 'failed' | 'skipped'

/** What was evaluated: a job, or (for `mapping evaluate`) one mapping. */
export interface PlanSource {
  readonly kind: 'job' | 'mapping'
  readonly name: string
}

export interface PlanRecord {
  readonly id: number
  /** The job (or, for `mapping evaluate`, the mapping) that was evaluated. */
  readonly source: PlanSource
  readonly status: PlanStatus
  readonly createdAt: string
  readonly executedAt?: string | undefined
  /** Operations per status (statuses without operations are left out). */
  readonly counts: Readonly<Partial<Record<OperationStatus, number>>>
  /** Steps, as the evaluation summarised them (mapping, function, operations, threshold result). */
  readonly steps: readonly PlanStepSummary[]
}

export interface PlanStepSummary {
  readonly index: number
  readonly mapping: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly semantics: FunctionSemantics
  readonly operations: number
  /** Filter rows that produced no operation because nothing differed (updates). */
  readonly unchanged: number
  /** Rows that could not be planned (a name generator ran out of names), with their messages. */
  readonly failed: number
  readonly threshold?: { readonly limit: number; readonly described: string; readonly exceeded: boolean } | undefined
}

/** One operation as the planner hands it to `insertOperations`: the store adds plan, seq and state. */
export interface NewOperation {
  /** Deterministic (mapping, function, key, values): the same operation planned again has the same id. */
  readonly id: string
  readonly step: number
  readonly mapping: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly semantics: FunctionSemantics
  readonly keyColumn?: string | undefined
  /** A single value (a multi-valued key is not a key). */
  readonly keyValue?: Value | undefined
  /** The new values, by parameter name; secret parameters are left out (see `secrets`). */
  readonly attributes: Row
  /** The target's current values of the changed attributes (updates), or of the whole row (delete…). */
  readonly before?: Row | undefined
  /** Names of secret parameters the operation sets; their values are generated again at execution. @default [] */
  readonly secrets?: readonly string[] | undefined
  /** The filter row the operation came from, kept only when a secret must be generated again from it. */
  readonly source?: Row | undefined
  /** The target row's fingerprint when planned (`TargetRow.hash`), to detect that it changed before execution. */
  readonly targetHash?: string | undefined
}

/** One planned operation as stored. */
export interface StoredOperation extends NewOperation {
  readonly planId: number
  /** Order of execution within the plan (steps in order, rows in filter order), from 1. */
  readonly seq: number
  readonly secrets: readonly string[]
  readonly status: OperationStatus
  /** How often an executor started it (markRunning), plus the retries it reported. */
  readonly attempts: number
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
  /** When an executor last marked it running. */
  readonly startedAt?: string | undefined
  readonly finishedAt?: string | undefined
}

/** One audit record: a write to a target (DESIGN.md §6). Records are never changed or deleted. */
export interface AuditRecord {
  readonly id: number
  readonly at: string
  readonly runId?: number | undefined
  readonly planId?: number | undefined
  readonly operationId: string
  readonly mapping: string
  readonly system: string
  readonly table: string
  readonly function: string
  readonly semantics: FunctionSemantics
  readonly keyColumn?: string | undefined
  readonly keyValue?: Value | undefined
  /** Values before the write (changed attributes only for updates); secrets never appear. */
  readonly before?: Row | undefined
  /** Values after the write; a secret parameter appears as the text `(set)`. */
  readonly after?: Row | undefined
  readonly outcome: 'succeeded' | 'failed'
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
  /** Who or what caused the write: `cli`, a user name, a task. */
  readonly actor: string
}

/**
 * `queued` (waiting for another run of its task to end) → `running` → how it ended. A sync task
 * with approval ends its process part as `awaiting-approval`; approving it runs it again
 * (`running`) to its end, rejecting it ends it as `rejected`.
 */
export type RunStatus =
  | 'queued'
  | 'running'
  | 'awaiting-approval'
  | 'succeeded'
  | 'partially-failed'
  | 'failed'
  | 'stopped'
  | 'interrupted'
  | 'rejected'

/** One execution of a job, a plan or a task. */
export interface RunRecord {
  readonly id: number
  readonly kind: 'job' | 'plan' | 'task'
  /** The job's or task's name, or the plan's id as text. */
  readonly name: string
  readonly planId?: number | undefined
  readonly actor: string
  readonly status: RunStatus
  readonly startedAt: string
  readonly finishedAt?: string | undefined
  /** Figures the run reports (operations per outcome, …). */
  readonly counts: Readonly<Record<string, number>>
  readonly errorCode?: string | undefined
  readonly message?: string | undefined
  /** The stored configuration revision (config_revisions) the run used. */
  readonly configRevision?: number | undefined
  /** The plans a task run evaluated, in job order. @default [] */
  readonly planIds: readonly number[]
  /** Who approved or rejected a run that awaited approval, and when. */
  readonly approvedBy?: string | undefined
  readonly decidedAt?: string | undefined
}

/** One line of a run's log. */
export interface RunLogEntry {
  readonly level: 'info' | 'warn' | 'error'
  readonly message: string
  /** Figures and names the line is about (JSON); never a secret. */
  readonly details?: Readonly<Record<string, unknown>> | undefined
  /** @default now */
  readonly at?: string | undefined
}

/** A stored log line: `seq` orders the lines of a run. */
export interface StoredRunLogEntry extends RunLogEntry {
  readonly runId: number
  readonly seq: number
  readonly at: string
}

/** One document of a configuration revision, as written: `${env:…}` references, never their values. */
export interface RevisionDocument {
  readonly file: string
  readonly kind: string
  readonly name: string
  readonly source: string
}

/** The text a secret parameter shows in the audit and in plan output instead of its value. */
export const SECRET_SET = '(set)'
