/**
 * engine: the soll-ist engine (DESIGN.md §8). Mappings turn filter rows into operations of a
 * target's functions, with names and passwords from generators; the planner keeps only what differs
 * from the vault; the executor applies a plan with bounded concurrency, retries, write-back and audit.
 */
export { engineError, type EngineErrorCode } from './errors.ts'
