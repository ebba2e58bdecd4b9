/**
 * The bookkeeping both vault drivers keep their transaction contract with (sql-driver.ts
 * `SqlDriver.transaction`): who may use a connection now. Nobody else while `active` (a transaction,
 * or a savepoint of it) is open; `idle` resolves when it ends. A connection (the SQLite driver, a
 * PostgreSQL session) is the scope of its transactions, each transaction the scope of the savepoints
 * its work starts: side-by-side savepoints take turns, since one begun while another is open would be
 * cut by the other's RELEASE or ROLLBACK TO.
 */
export interface Scope<T> {
  active: T | undefined
  idle: Promise<void>
  wake: () => void
}

/** A transaction or savepoint, marked in its work's async context; `Self` is the driver's own kind. */
export interface ScopedTransaction<Self> extends Scope<Self> {
  /** False once its work has ended: work it started without awaiting then waits like anyone else. */
  open: boolean
  /** The transaction it is a savepoint of; undefined for the outermost. */
  readonly parent: Self | undefined
}

/** A scope nothing holds. */
export function freeScope<T>(): Scope<T> {
  return { active: undefined, idle: Promise.resolve(), wake: () => undefined }
}

/** The innermost transaction still open among `transaction` and its parents. */
export function openOf<T extends ScopedTransaction<T>>(transaction: T | undefined): T | undefined {
  while (transaction !== undefined && !transaction.open) transaction = transaction.parent
  return transaction
}
