import { migration001 } from './001-collections.ts'
import type { Migration } from './migration.ts'

/** Every migration, in order. Append only: never edit or renumber one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [migration001]
export type { Migration } from './migration.ts'
