/**
 * Test support for the filters layer: two small systems built directly as resolved configuration
 * (an HR source with employees, contracts and departments; a directory with users and groups), the
 * links between them, helpers to write FilterConfig objects tersely, and their rows for the vault.
 * Not used outside tests.
 */
import { LineCounter, type Node, parseDocument } from 'yaml'
import type { ColumnType, RelationSchema, Row, TableSchema } from '../core/index.ts'
import type {
  ComputedColumn,
  FilterConfig,
  FilterParameter,
  JoinItem,
  JoinMode,
  LinkConfig,
  LoadedDocument,
  LookupItem,
  SystemConfig,
} from '../config/index.ts'
import { writeCollection } from '../vault/index.ts'
import type { FilterContext } from './join-paths.ts'

/** A document for positions: the YAML text when given (real lines and columns), else an empty one. */
export function testDocument(file: string, text = '{}\n'): LoadedDocument {
  const lineCounter = new LineCounter()
  const yaml = parseDocument(text, { lineCounter })
  return {
    kind: 'Test',
    name: file,
    file,
    index: 0,
    source: text,
    value: (yaml.toJS() ?? {}) as Record<string, unknown>,
    yaml,
    positionOf(path) {
      // The deepest node of the path that exists, as the config layer's positionIn does.
      for (let depth = path.length; depth >= 0; depth--) {
        const node = (depth === 0 ? yaml.contents : yaml.getIn(path.slice(0, depth), true)) as Node | null
        if (node?.range !== undefined && node?.range !== null) {
          const { line, col } = lineCounter.linePos(node.range[0])
          return { line, column: col }
        }
      }
      return { line: 1, column: 1 }
    },
  }
}

function table(system: string, name: string, primaryKey: string, columns: Record<string, ColumnType>): TableSchema {
  return {
    system,
    name,
    primaryKey,
    referenceKeys: [],
    options: {},
    columns: Object.entries(columns).map(([column, type]) => ({ name: column, type, source: column })),
  }
}

function relation(system: string, from: string, to: string): RelationSchema {
  const [fromTable, fromColumn] = from.split('.') as [string, string]
  const [toTable, toColumn] = to.split('.') as [string, string]
  return { system, name: `${fromTable}_${fromColumn}`, fromTable, fromColumn, toTable, toColumn }
}

function system(name: string, tables: TableSchema[], relations: RelationSchema[]): SystemConfig {
  return {
    name,
    connector: 'csv',
    config: {},
    tables,
    relations,
    manyToMany: [],
    guards: {},
    file: `systems/${name}.yaml`,
    document: testDocument(`systems/${name}.yaml`),
  }
}

export const EMPLOYEES = table('hr', 'employees', 'employee_id', {
  employee_id: 'string',
  first_name: 'string',
  last_name: 'string',
  birth_date: 'date',
  grade: 'integer',
  active: 'boolean',
  manager_id: 'string',
})
export const CONTRACTS = table('hr', 'contracts', 'contract_id', {
  contract_id: 'string',
  employee_id: 'string',
  unit: 'string',
  job_title: 'string',
  start_date: 'date',
  end_date: 'date',
  fte: 'number',
})
export const DEPARTMENTS = table('hr', 'departments', 'unit', { unit: 'string', name: 'string', manager_id: 'string' })
export const USERS = table('dir', 'users', 'dn', {
  dn: 'string',
  employeeID: 'string',
  sAMAccountName: 'string',
  enabled: 'boolean',
  memberOf: 'string[]',
})
export const GROUPS = table('dir', 'groups', 'dn', { dn: 'string', cn: 'string', members: 'string[]' })

export const HR = system(
  'hr',
  [EMPLOYEES, CONTRACTS, DEPARTMENTS],
  [
    relation('hr', 'contracts.employee_id', 'employees.employee_id'),
    relation('hr', 'contracts.unit', 'departments.unit'),
    relation('hr', 'departments.manager_id', 'employees.employee_id'),
    relation('hr', 'employees.manager_id', 'employees.employee_id'),
  ],
)
export const DIR = system('dir', [USERS, GROUPS], [])

function link(name: string, fields: Partial<LinkConfig> & Pick<LinkConfig, 'left' | 'right'>): LinkConfig {
  return {
    name,
    caseInsensitive: false,
    file: `links/${name}.yaml`,
    document: testDocument(`links/${name}.yaml`),
    ...fields,
  }
}

/** hr.employees.employee_id ↔ dir.users.employeeID, ignoring case ('e002' is E002's account). */
export const EMPLOYEE_ACCOUNT = link('employee_account', {
  left: { system: 'hr', table: 'employees', column: 'employee_id' },
  right: { system: 'dir', table: 'users', column: 'employeeID' },
  caseInsensitive: true,
})

/** The account name an employee should have: first initial and last name, lower case, no quotes. */
export const EMPLOYEE_LOGIN = link('employee_login', {
  left: { system: 'hr', table: 'employees', column: 'last_name' },
  right: { system: 'dir', table: 'users', column: 'sAMAccountName' },
  leftExpression: "lower(left(first_name, 1) || replace(last_name, '''', ''))",
})

export const CONTEXT: FilterContext = { systems: [HR, DIR], links: [EMPLOYEE_ACCOUNT, EMPLOYEE_LOGIN] }

/** A join item as written: `table` is `system.table AS alias`. */
export interface JoinSpec {
  readonly table: string
  readonly mode: JoinMode
  readonly via?: string
  readonly where?: string
  readonly joins?: readonly JoinSpec[]
}

function parseTable(text: string) {
  const [ref, alias] = text.split(/\s+AS\s+/i) as [string, string | undefined]
  const [system, name] = ref.split('.') as [string, string]
  return { system, table: name, alias: alias ?? name }
}

function joinItems(specs: readonly JoinSpec[], path: readonly (string | number)[]): JoinItem[] {
  return specs.map((spec, i) => {
    const at = [...path, 'joins', i]
    return {
      ...parseTable(spec.table),
      mode: spec.mode,
      ...(spec.via === undefined ? {} : { via: spec.via }),
      ...(spec.where === undefined ? {} : { where: spec.where }),
      joins: joinItems(spec.joins ?? [], at),
      path: at,
    }
  })
}

export interface FilterSpec {
  readonly name?: string
  readonly start?: string
  readonly where?: string
  readonly parameters?: Readonly<Record<string, { type: ColumnType; default?: FilterParameter['default'] }>>
  readonly joins?: readonly JoinSpec[]
  readonly lookups?: readonly (Omit<LookupItem, 'path' | 'caseInsensitive' | 'in'> & {
    in: string
    caseInsensitive?: boolean
  })[]
  readonly columns?: Readonly<Record<string, string>>
  readonly output?: readonly string[]
  readonly maxMultiplication?: number
  /** The YAML the filter came from, for tests of positions. */
  readonly yaml?: string
}

/** A resolved FilterConfig from a terse spec; paths follow the YAML layout of docs/filters.md. */
export function filterConfig(spec: FilterSpec): FilterConfig {
  const name = spec.name ?? 'test_filter'
  const file = `filters/${name}.yaml`
  const parameters = Object.entries(spec.parameters ?? {}).map(([p, d]): FilterParameter => ({
    name: p,
    type: d.type,
    default: d.default,
    path: ['parameters', p],
  }))
  const computed = Object.entries(spec.columns ?? {}).map(([c, expression]): ComputedColumn => ({
    name: c,
    expression,
    path: ['columns', c],
  }))
  const lookups = (spec.lookups ?? []).map((l, i): LookupItem => {
    const [system, tableName, column] = l.in.split('.') as [string, string, string]
    return {
      ...l,
      caseInsensitive: l.caseInsensitive ?? false,
      in: { system, table: tableName, column },
      path: ['lookups', i],
    }
  })
  return {
    name,
    start: parseTable(spec.start ?? 'hr.employees AS e'),
    ...(spec.where === undefined ? {} : { where: spec.where }),
    parameters,
    joins: joinItems(spec.joins ?? [], []),
    lookups,
    computed,
    ...(spec.output === undefined ? {} : { output: spec.output }),
    maxMultiplication: spec.maxMultiplication ?? 10,
    file,
    document: testDocument(file, spec.yaml),
  }
}

const rows = {
  employees: [
    ['E001', 'Ann', 'Smith', '1980-01-15', 7, true, null],
    ['E002', 'Bob', "O'Brien", '1990-05-10', 3, true, 'E001'],
    ['E003', 'Chloé', 'Dupont', '1975-12-31', 10, false, 'E001'],
    ['E004', 'Dan', 'Brown', '2001-07-04', 1, true, 'E002'],
    ['E005', 'Eve', 'Zoë', '1988-02-29', 5, true, null],
  ],
  contracts: [
    ['C1', 'E001', 'FIN', 'Controller', '2020-01-01', null, 1],
    ['C2', 'E002', 'IT', 'Developer', '2021-03-01', '2023-12-31', 0.8],
    ['C3', 'E002', 'IT', 'Lead Developer', '2024-01-01', null, 1],
    ['C4', 'E003', 'HR', 'Recruiter', '2019-06-01', '2022-06-30', 0.5],
    ['C5', 'E004', 'IT', 'Intern', '2025-09-01', '2026-02-28', 0.6],
    ['C6', 'E004', 'FIN', 'Assistant', '2026-03-01', null, 0.4],
  ],
  departments: [
    ['FIN', 'Finance', 'E001'],
    ['IT', 'IT', 'E002'],
    ['HR', 'Human Resources', null],
    ['OPS', 'Operations', 'E005'],
  ],
  users: [
    ['cn=ann', 'E001', 'asmith', true, ['All Staff', 'Finance']],
    ['cn=bob', 'e002', 'bobrien', true, ['IT']],
    ['cn=dan', 'E004', 'dbrown', false, []],
    ['cn=svc', null, 'svc_backup', true, ['Service']],
    ['cn=old', 'X999', 'xold', false, []],
  ],
  groups: [
    ['cn=finance', 'finance', ['cn=ann']],
    ['cn=it', 'IT', ['cn=bob', 'cn=dan']],
    ['cn=staff', 'all staff', ['cn=ann', 'cn=bob']],
  ],
} as const

function asRows(schema: TableSchema, values: readonly (readonly unknown[])[]): Row[] {
  return values.map((v) => Object.fromEntries(schema.columns.map((c, i) => [c.name, v[i] as Row[string]])))
}

export const TABLE_ROWS: Readonly<Record<string, Row[]>> = {
  'hr.employees': asRows(EMPLOYEES, rows.employees),
  'hr.contracts': asRows(CONTRACTS, rows.contracts),
  'hr.departments': asRows(DEPARTMENTS, rows.departments),
  'dir.users': asRows(USERS, rows.users),
  'dir.groups': asRows(GROUPS, rows.groups),
}

/** Collects `tables` (default: every table of both systems) into the vault. */
export async function collectFixtures(
  db: Parameters<typeof writeCollection>[0],
  override: Readonly<Record<string, Row[]>> = {},
): Promise<void> {
  for (const sys of [HR, DIR]) {
    await writeCollection(db, {
      system: sys.name,
      tables: sys.tables.map((schema) => ({
        schema,
        read: async function* () {
          yield { rows: override[`${sys.name}.${schema.name}`] ?? TABLE_ROWS[`${sys.name}.${schema.name}`]! }
        },
      })),
    })
  }
}
