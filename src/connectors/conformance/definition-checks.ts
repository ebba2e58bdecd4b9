/**
 * Checks of the connector's declaration, without a server: its config schema takes the fixture's
 * config and is strict, and `functions(table)` is pure and consistent with the table it describes.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import {
  COLUMN_TYPES,
  type FunctionSchema,
  type FunctionSemantics,
  FUNCTION_SEMANTICS,
  type TableSchema,
} from '../../core/index.ts'
import type { ConformanceHarness } from './conformance-harness.ts'

const UNKNOWN_KEY = 'conformanceUnknownKey'
const ALLOWANCES = ['mandatory', 'optional', 'prohibited']
const KEYED: readonly FunctionSemantics[] = ['update', 'delete', 'enable', 'disable', 'move']

/** Asserts that `schema` refuses an unknown key with an `unrecognized_keys` issue at the object's path. */
function assertRefusesUnknownKey(
  schema: { safeParse(value: unknown): { success: boolean; error?: { issues: readonly unknown[] } } },
  value: Readonly<Record<string, unknown>>,
  what: string,
): void {
  const result = schema.safeParse({ ...value, [UNKNOWN_KEY]: 1 })
  assert.equal(result.success, false, `${what} accepts an unknown key`)
  const issues = (result.error?.issues ?? []) as { code?: string; path?: unknown; keys?: unknown }[]
  const issue = issues.find((i) => i.code === 'unrecognized_keys')
  assert.ok(issue !== undefined, `${what} refuses an unknown key, but not with an unrecognized_keys issue`)
  assert.deepEqual(issue.path, [], `${what}: the issue is not positioned at the object that holds the key`)
  assert.deepEqual(issue.keys, [UNKNOWN_KEY], `${what}: the issue does not name the unknown key`)
}

/** The problems of one function against the table it is declared on. */
function functionProblems(fn: FunctionSchema, table: TableSchema): string[] {
  const problems: string[] = []
  const declared = new Set(table.columns.map((c) => c.name))
  if (fn.table !== table.name) problems.push(`${fn.name} names table ${fn.table}, not ${table.name}`)
  if (!FUNCTION_SEMANTICS.includes(fn.semantics)) problems.push(`${fn.name} has semantics '${fn.semantics}'`)
  // Memberships name their row by all its values (their parameters); the rest by a key column.
  const key = fn.keyColumn ?? (KEYED.includes(fn.semantics) ? table.primaryKey : undefined)
  if (KEYED.includes(fn.semantics) && key === undefined) problems.push(`${fn.name} names its row by no column`)
  if (key !== undefined && !declared.has(key)) problems.push(`${fn.name} names its row by undeclared '${key}'`)
  const names = fn.parameters.map((p) => p.name)
  if (new Set(names).size !== names.length) problems.push(`${fn.name} has parameters of the same name`)
  for (const p of fn.parameters) {
    const where = `${fn.name}.${p.name}`
    if (p.name === '') problems.push(`${fn.name} has a parameter without a name`)
    if (!ALLOWANCES.includes(p.allowance)) problems.push(`${where} has allowance '${p.allowance}'`)
    if (!COLUMN_TYPES.includes(p.type)) problems.push(`${where} has type '${p.type}'`)
    if (p.column !== undefined && !declared.has(p.column)) problems.push(`${where} writes undeclared '${p.column}'`)
    if (p.secret === true && p.type !== 'string') problems.push(`${where} is secret but of type ${p.type}`)
  }
  return problems
}

export function definitionChecks(harness: () => ConformanceHarness): void {
  it('config schema: takes the fixture and refuses unknown keys with a positioned issue', () => {
    const { definition, config, accounts } = harness().fixture
    const parsed = definition.configSchema.safeParse(config)
    assert.ok(parsed.success, `the config schema refuses the fixture: ${JSON.stringify(parsed.error?.issues)}`)
    assertRefusesUnknownKey(definition.configSchema, config, 'the config schema')
    const options = definition.tableOptionsSchema.safeParse(accounts.table.options)
    assert.ok(options.success, `the table options schema refuses the fixture's options`)
    assertRefusesUnknownKey(definition.tableOptionsSchema, accounts.table.options, 'the table options schema')
  })

  it('functions(table): pure, consistent with the table, and present exactly when the connector applies', () => {
    const h = harness()
    const tables = [h.accounts.table, ...(h.fixture.memberships === undefined ? [] : [h.fixture.memberships.table])]
    for (const table of tables) {
      const before = structuredClone(table)
      const first = h.functionsOf(table)
      assert.deepEqual(h.functionsOf(table), first, `functions(${table.name}) differs between two calls`)
      assert.deepEqual(table, before, `functions(${table.name}) changed the table it was given`)
      const names = first.map((f) => f.name)
      assert.equal(new Set(names).size, names.length, `functions(${table.name}) repeats a name: ${names.join(', ')}`)
      assert.deepEqual(
        first.flatMap((fn) => functionProblems(fn, table)),
        [],
      )
    }
    const writable = h.functionsOf(h.accounts.table).length > 0
    assert.equal(writable, h.fixture.definition.capabilities.supportsApply, 'functions contradict supportsApply')
  })
}
