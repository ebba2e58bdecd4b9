import { migration001 } from './001-collections.ts'
import { migration002 } from './002-plans.ts'
import { migration003 } from './003-execution-leases.ts'
import { migration004 } from './004-collection-watermarks.ts'
import { migration005 } from './005-role-models.ts'
import { migration006 } from './006-run-details.ts'
import { migration007 } from './007-users.ts'
import { migration008 } from './008-secrets.ts'
import { migration009 } from './009-password-change.ts'
import type { Migration } from './migration.ts'

/** Every migration, in order. Append only: never edit or renumber one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
]
export type { Migration } from './migration.ts'
