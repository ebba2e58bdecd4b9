/**
 * Where a role item's memberships are written: the memberships table of its system (`membershipsTable:`,
 * or the system's only table whose functions have semantics membership-add and membership-remove)
 * and those two functions, which take the parameters `group` and `member` (the convention every
 * connector's memberships table follows). `provisio validate` reports a problem as a positioned
 * issue; evaluation throws it, coded the same.
 */
import { type FunctionSchema, MEMBERSHIP_PARAMETERS, type TableSchema } from '../core/index.ts'
import type { RoleItemConfig, SystemConfig, ValidatedProject } from '../config/index.ts'
import type { EngineErrorCode } from './errors.ts'
import { engineError } from './errors.ts'
import { connectorFunctions, type FunctionsOf } from './functions.ts'


/** A role item's memberships table and its two functions. */
export interface MembershipsTarget {
  readonly table: TableSchema
  readonly add: FunctionSchema
  readonly remove: FunctionSchema
}

/** Why the memberships table cannot be resolved; `at` is the item key to show it at. */
export interface MembershipsProblem {
  readonly code: EngineErrorCode
  readonly message: string
  readonly hint: string
  readonly at: 'system' | 'membershipsTable'
}

/**
 * The item's memberships table and functions, a problem, or undefined when the connector's functions
 * cannot be told (an unknown connector or an invalid `config:`, which the connectors' checks report).
 */
export function findMembershipsTable(
  system: SystemConfig,
  item: Pick<RoleItemConfig, 'membershipsTable'>,
  functionsOf: FunctionsOf,
): MembershipsTarget | MembershipsProblem | undefined {
  if (item.membershipsTable !== undefined) {
    const table = system.tables.find((t) => t.name === item.membershipsTable)
    if (table === undefined) {
      return {
        code: 'ENG_NO_MEMBERSHIPS_TABLE',
        message: `System '${system.name}' has no table '${item.membershipsTable}'.`,
        hint: `Use one of its tables: ${system.tables.map((t) => t.name).join(', ')}.`,
        at: 'membershipsTable',
      }
    }
    const functions = functionsOf(system, table)
    return functions === undefined ? undefined : membershipFunctions(system, table, functions, 'membershipsTable')
  }
  const candidates: TableSchema[] = []
  let writable = false
  for (const table of system.tables) {
    const functions = functionsOf(system, table)
    if (functions === undefined) return undefined
    if (functions.length > 0) writable = true
    if (pick(functions, 'membership-add') !== undefined && pick(functions, 'membership-remove') !== undefined) {
      candidates.push(table)
    }
  }
  if (candidates.length === 1) {
    return membershipFunctions(system, candidates[0]!, functionsOf(system, candidates[0]!)!, 'system')
  }
  if (candidates.length === 0) {
    return {
      code: 'ENG_NO_MEMBERSHIPS_TABLE',
      message: writable
        ? `No table of system '${system.name}' adds and removes memberships (functions with semantics membership-add and membership-remove).`
        : `System '${system.name}' is read-only: its connector '${system.connector}' offers no functions, so no memberships can be written.`,
      hint: writable
        ? `Declare the system's memberships table (docs/connectors/${system.connector}.md says how), or target another system.`
        : 'Target a system whose connector can write memberships (ldap, sql).',
      at: 'system',
    }
  }
  const names = candidates.map((t) => t.name)
  return {
    code: 'ENG_AMBIGUOUS_MEMBERSHIPS_TABLE',
    message: `Several tables of system '${system.name}' add and remove memberships: ${names.join(', ')}.`,
    hint: `Say which one the item writes with \`membershipsTable: ${names[0]}\` (or ${names.slice(1).join(', ')}).`,
    at: 'system',
  }
}

function pick(
  functions: readonly FunctionSchema[],
  semantics: FunctionSchema['semantics'],
): FunctionSchema | undefined {
  return functions.find((f) => f.semantics === semantics)
}

/** The two functions of a memberships table, each with the parameters group and member. */
function membershipFunctions(
  system: SystemConfig,
  table: TableSchema,
  functions: readonly FunctionSchema[],
  at: MembershipsProblem['at'],
): MembershipsTarget | MembershipsProblem {
  const qualified = `${system.name}.${table.name}`
  const add = pick(functions, 'membership-add')
  const remove = pick(functions, 'membership-remove')
  if (add === undefined || remove === undefined) {
    const missing = [add === undefined ? 'membership-add' : [], remove === undefined ? 'membership-remove' : []].flat()
    return {
      code: 'ENG_NO_MEMBERSHIP_FUNCTIONS',
      message: `Table ${qualified} offers no function with semantics ${missing.join(' or ')}: it is not a memberships table.`,
      hint: `Name the system's memberships table in \`membershipsTable:\`, or leave it out to use the only one. Functions on ${qualified}: ${functions.map((f) => f.name).join(', ') || '(none)'}.`,
      at,
    }
  }
  for (const fn of [add, remove]) {
    const lacking = MEMBERSHIP_PARAMETERS.filter((name) => !fn.parameters.some((p) => p.name === name))
    if (lacking.length === 0) continue
    return {
      code: 'ENG_NO_MEMBERSHIP_FUNCTIONS',
      message: `Function ${fn.name} (${fn.semantics}) of ${qualified} takes no parameter ${lacking.map((n) => `'${n}'`).join(' or ')}; membership functions take 'group' and 'member'.`,
      hint: `The connector of system '${system.name}' does not follow the memberships convention; target a memberships table whose functions take group and member.`,
      at,
    }
  }
  return { table, add, remove }
}

/** Whether `found` is a problem rather than the target. */
export function isMembershipsProblem(found: MembershipsTarget | MembershipsProblem): found is MembershipsProblem {
  return 'code' in found
}

/**
 * The memberships table and functions of a role item, for evaluation. Throws the problem's code
 * when they cannot be resolved (validation reports the same as an issue), ENG_ROLE_MODEL_UNRESOLVED
 * when the item's system is not in the project.
 *
 * @example
 * const { table, add, remove } = resolveMembershipsTable(project, item)
 */
export function resolveMembershipsTable(
  project: ValidatedProject,
  item: RoleItemConfig,
  functionsOf: FunctionsOf = connectorFunctions,
): MembershipsTarget {
  const system = project.systems.find((s) => s.name === item.system)
  if (system === undefined) {
    throw engineError(
      'ENG_ROLE_MODEL_UNRESOLVED',
      `A role item names system '${item.system}', which the project lacks.`,
      {
        details: { system: item.system },
      },
    )
  }
  const found = findMembershipsTable(system, item, functionsOf)
  if (found === undefined) {
    throw engineError(
      'ENG_NO_MEMBERSHIP_FUNCTIONS',
      `The functions of system '${system.name}' cannot be told: its connector '${system.connector}' is unknown or its config is not valid.`,
      {
        hint: "Run `provisio validate`; it reports the system's connector and config.",
        details: { system: system.name },
      },
    )
  }
  if (isMembershipsProblem(found)) {
    throw engineError(found.code, found.message, {
      hint: found.hint,
      details: { system: system.name, membershipsTable: item.membershipsTable ?? null },
    })
  }
  return found
}
