/**
 * filters: named queries over the vault (DESIGN.md §1, docs/filters.md). A filter starts at one
 * table, joins related tables through relations and links (any, none, multiple, all, optional),
 * keeps rows that meet its conditions and lookups, and adds computed columns. It is compiled to ONE
 * parameterized SQL statement per vault database and runs set-based in the vault.
 *
 * The pipeline reads like the files: FilterConfig → buildPlan (join-paths, expressions, build-output)
 * → FilterPlan (frozen nodes) → DefaultFilterCompiler and its dialects → one statement with `?`
 * placeholders → runFilter / countFilter / explainFilter on a vault SqlExecutor. Values are always
 * bound; identifiers only pass the dialect's quoting hook.
 *
 * @example
 * const context = { systems: project.systems, links: project.links }
 * const compiled = compileFilter(filter, context, db.dialect.name, { since: '2026-01-01' })
 * for await (const page of runFilter(db, compiled)) for (const row of page) console.log(row)
 */
export { filterError, type FilterErrorCode } from './errors.ts'
export type { FilterContext, JoinPath, TableRef } from './join-paths.ts'
export { resolveJoinPath, candidatePaths, describePath } from './join-paths.ts'
export { checkFilter } from './check-filter.ts'
export { checkLink } from './link-sides.ts'
export { compileFilter, type CompiledFilter, type FilterColumn } from './compile-filter.ts'
export { compileLiftedFilter, BINDING_COLUMN, type LiftedParameters } from './lifted-parameters.ts'
export type { TableRead } from './filter-compiler.ts'
export { parseParameterValue, resolveParameters, type ParameterValues } from './parameters.ts'
export { runFilter, countFilter, ensureCollected, type RunFilterOptions } from './run-filter.ts'
export { explainFilter, type ExplainStep, type FilterExplanation } from './explain-filter.ts'
export { matchLink, type LinkMatch, type LinkMatchOptions } from './link-match.ts'
export { findFilter, findLink } from './find-config.ts'
