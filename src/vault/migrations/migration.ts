import type { Dialect } from '../driver/dialect.ts'

/** One numbered, forward-only change of the vault's fixed schema. */
export interface Migration {
  readonly id: number
  readonly name: string
  /** The statements, written for the given dialect; they run in one transaction. */
  up(dialect: Dialect): readonly string[]
}
