/**
 * What every route handler works with: the vault, the project as it is now, the events of the runs
 * the API starts, and the clock. Made once by the server (server.ts) and handed to each route
 * plugin; the project is read again when its files changed, so an edit is seen without a restart.
 */
import type { Clock, EventSink, Logger } from '../core/index.ts'
import type { ValidatedProject } from '../config/index.ts'
import type { SqlDriver } from '../vault/index.ts'

export interface ServerContext {
  readonly db: SqlDriver
  /** The project folder. */
  readonly projectDir: string
  /** The project as validated now; throws CFG_INVALID (with every issue) when it does not validate. */
  project(): Promise<ValidatedProject>
  /** Where the events of runs started through the API go. @default none */
  readonly events?: EventSink | undefined
  readonly clock: Clock
  readonly logger: Logger
}
