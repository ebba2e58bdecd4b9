import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import type { FunctionParameter, FunctionSchema, Issue } from '../core/index.ts'
import { removeProject, writeProject, yaml } from '../config/project-fixture.ts'
import { type ValidatedProject, validateProject } from '../config/index.ts'
import { CliContext } from '../cli/context.ts'
import { checkMappings } from './check-mappings.ts'
import type { FunctionsOf } from './functions.ts'

const EXAMPLE = path.resolve(import.meta.dirname, '..', '..', 'examples', 'hr500')
const example = (file: string) => readFileSync(path.join(EXAMPLE, file), 'utf8')

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

const GENERATORS = [
  yaml(
    'kind: NameGenerator',
    'name: account_names',
    'names:',
    '  username:',
    '    methods: [account_name]',
    '  mail:',
    '    methods: ["generated.username || \'@example.com\'"]',
  ),
  yaml('kind: PasswordGenerator', 'name: initial_password'),
].join('---\n')

/** The HR500 demo's systems, link and filters, the generators above, and `mappings/m.yaml`. */
async function project(mappings: string): Promise<{ project: ValidatedProject; issues: Issue[] }> {
  const dir = await writeProject({
    'systems/hr500.yaml': example('systems/hr500.yaml'),
    'systems/directory.yaml': example('systems/directory.yaml'),
    'filters/accounts.yaml': example('filters/accounts.yaml'),
    'filters/employee-account.yaml': example('filters/employee-account.yaml'),
    'generators/g.yaml': GENERATORS,
    'mappings/m.yaml': mappings,
  })
  dirs.push(dir)
  return validateProject(dir)
}

const p = (
  name: string,
  type: FunctionParameter['type'],
  allowance: FunctionParameter['allowance'],
  more: Partial<FunctionParameter> = {},
): FunctionParameter => ({ name, type, allowance, ...more })

const ACCOUNT_PARAMETERS = [
  p('givenName', 'string', 'optional'),
  p('sn', 'string', 'optional'),
  p('mail', 'string', 'optional'),
  p('enabled', 'boolean', 'optional'),
  p('whenCreated', 'datetime', 'prohibited'),
]

/** Functions a SQL-like connector could declare on directory.users. */
const USERS: FunctionSchema[] = [
  {
    name: 'users_create',
    table: 'users',
    semantics: 'create',
    parameters: [
      p('sAMAccountName', 'string', 'mandatory'),
      p('employeeID', 'string', 'mandatory'),
      ...ACCOUNT_PARAMETERS,
      p('password', 'string', 'optional', { secret: true }),
    ],
  },
  { name: 'users_update', table: 'users', semantics: 'update', parameters: ACCOUNT_PARAMETERS },
  { name: 'users_disable', table: 'users', semantics: 'disable', parameters: [], keyColumn: 'sAMAccountName' },
]

/** directory.users can be written; every other table is read-only. */
const functionsOf: FunctionsOf = (system, table) => (system.name === 'directory' && table.name === 'users' ? USERS : [])

/** `file:line:column CODE message | hint`, one line per issue. */
function brief(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.file}:${i.line}:${i.column} ${i.code} ${i.message} | ${i.hint ?? ''}`)
}

/** Validates, then checks the mappings; asserts the configuration itself is valid. */
async function check(...lines: string[]): Promise<Issue[]> {
  const { project: validated, issues } = await project(yaml(...lines))
  assert.deepEqual(brief(issues), [])
  assert.equal(validated.mappings.length, 1, 'the mapping resolves')
  return checkMappings(validated, { functionsOf })
}

const create = [
  'kind: Mapping', // 1
  'name: create_accounts', // 2
  'system: directory', // 3
  'table: users', // 4
  'function: users_create', // 5
  'filter: needs_account', // 6
  'nameGenerator: account_names', // 7
  'passwordGenerator: initial_password', // 8
  'attributes:', // 9
  '  sAMAccountName: generated.username', // 10
  '  employeeID: e.employee_id', // 11
]

/** The create mapping aimed at HR500's employees: a csv system, which is read-only. */
const onHr500 = create.map((l) =>
  l === 'system: directory' ? 'system: hr500' : l === 'table: users' ? 'table: employees' : l,
)

describe('checkMappings', () => {
  it('accepts a mapping whose attributes fit its function, with generated names, the password and parameters', async () => {
    const issues = await check(
      ...create,
      "  givenName: e.first_name || ' ' || coalesce(e.middle_name, '')",
      '  sn: e.last_name',
      '  mail: generated.mail',
      '  enabled: true',
      '  password: generated.password',
    )
    assert.deepEqual(brief(issues), [])
    const nulls = await check(...create, '  mail:', '  sn: "if(:today > date \'2026-01-01\', account_name, null)"')
    assert.deepEqual(brief(nulls), [])
  })

  it('reports a function the table does not offer, and a read-only system', async () => {
    const lines = create.map((l) => (l === 'function: users_create' ? 'function: user_create' : l))
    assert.deepEqual(brief(await check(...lines)), [
      "mappings/m.yaml:5:11 ENG_UNKNOWN_FUNCTION There is no function 'user_create' on directory.users. | Did you mean 'users_create'? Functions on directory.users: users_create, users_update, users_disable.",
    ])
    assert.deepEqual(brief(await check(...onHr500)), [
      "mappings/m.yaml:5:11 ENG_READ_ONLY_SYSTEM System 'hr500' is read-only: its connector 'csv' offers no functions on hr500.employees. | Target a system whose connector can write (such as sql), or remove the mapping.",
    ])
  })

  it("asks the connector for its functions by default: the sql connector's on the directory, none on csv", async () => {
    const { project: validated } = await project(yaml(...create))
    assert.deepEqual(brief(checkMappings(validated)), [], 'the sql connector offers users_create')
    const { project: hr500 } = await project(yaml(...onHr500))
    assert.deepEqual(
      checkMappings(hr500).map((i) => i.code),
      ['ENG_READ_ONLY_SYSTEM'],
    )
  })

  it('names every missing mandatory parameter, and reports unknown and prohibited attributes at their name', async () => {
    assert.deepEqual(
      brief(
        await check(
          ...create.slice(0, 9),
          '  givenNam: e.first_name', // 10
          '  whenCreated: null', // 11
          '  nickname: e.first_name', // 12
        ),
      ),
      [
        "mappings/m.yaml:9:1 ENG_MISSING_ATTRIBUTE Function users_create needs parameters 'sAMAccountName', 'employeeID'; the mapping gives no attribute for them. | Add under `attributes:` `sAMAccountName: <string expression>`, `employeeID: <string expression>`.",
        "mappings/m.yaml:10:3 ENG_UNKNOWN_ATTRIBUTE Function users_create has no parameter 'givenNam'. | Did you mean 'givenName'?",
        "mappings/m.yaml:11:3 ENG_PROHIBITED_ATTRIBUTE Function users_create does not accept parameter 'whenCreated' (it is prohibited). | Remove the attribute 'whenCreated'.",
        "mappings/m.yaml:12:3 ENG_UNKNOWN_ATTRIBUTE Function users_create has no parameter 'nickname'. | Its parameters are: sAMAccountName, employeeID, givenName, sn, mail, enabled, password.",
      ],
    )
    // Without `attributes:` the issue points at the function.
    assert.deepEqual(
      brief(await check(...create.slice(0, 8))).map((l) => l.split(' ENG_')[0]),
      ['mappings/m.yaml:5:11'],
    )
  })

  it('treats hostile attribute names and values as names and text, never as code', async () => {
    const issues = await check(
      ...create,
      `  "sn'; DROP TABLE users; --": e.last_name`, // 12
      `  givenName: "'Zoë''; DROP TABLE users; -- 😀'"`, // 13
    )
    assert.deepEqual(brief(issues), [
      "mappings/m.yaml:12:3 ENG_UNKNOWN_ATTRIBUTE Function users_create has no parameter 'sn'; DROP TABLE users; --'. | Its parameters are: sAMAccountName, employeeID, givenName, sn, mail, enabled, password.",
    ])
  })

  it('reports values whose type does not fit the parameter, and expression errors at the character', async () => {
    assert.deepEqual(
      brief(
        await check(
          ...create,
          '  givenName: length(e.first_name)', // 12
          '  enabled: "\'yes\'"', // 13
          '  sn: e.frist_name', // 14
          '  mail: "e.first_name || \'@\' || :unknown"', // 15
        ),
      ),
      [
        "mappings/m.yaml:12:14 ENG_TYPE_MISMATCH Attribute 'givenName' is integer, but parameter 'givenName' of users_create is string. | Convert with to_text(value).",
        "mappings/m.yaml:13:12 ENG_TYPE_MISMATCH Attribute 'enabled' is string, but parameter 'enabled' of users_create is boolean. | Give a condition, such as e.status = 'active'.",
        "mappings/m.yaml:14:7 EXPR_UNKNOWN_COLUMN 'e' has no column 'frist_name'. | Did you mean 'first_name'?",
        "mappings/m.yaml:15:33 EXPR_UNKNOWN_PARAMETER The parameter ':unknown' is not declared. | Declared: :today.",
      ],
    )
  })

  it('keeps the generated password out of non-secret parameters and a secret from elsewhere out of secrets', async () => {
    const issues = await check(
      ...create,
      '  givenName: "\'x\' || generated.password"', // 12
      '  password: e.last_name', // 13
    )
    assert.deepEqual(brief(issues), [
      "mappings/m.yaml:12:14 ENG_PASSWORD_NOT_SECRET Attribute 'givenName' uses generated.password, but parameter 'givenName' of users_create is not secret: the password would land in plans and the audit. | Use generated.password only for the secret parameter ('password').",
      "mappings/m.yaml:13:13 ENG_SECRET_NOT_GENERATED Parameter 'password' of users_create is secret, but its value does not come from generated.password: a password from a filter column would be stored in the vault (and one written here sits in the YAML). | Write `password: generated.password` and name a PasswordGenerator in `passwordGenerator:`.",
    ])
    assert.equal(issues[1]?.severity, undefined, 'an error: the password would be stored in the vault')
    assert.equal(issues[1]?.value, undefined, 'a secret value is never echoed')
  })

  it('requires generated names that the generators produce', async () => {
    const noGenerators = create.filter((l) => !l.includes('Generator'))
    assert.deepEqual(
      brief(
        await check(
          ...noGenerators.slice(0, 7),
          '  sAMAccountName: generated.username',
          '  employeeID: e.employee_id',
          '  password: generated.password',
        ),
      ),
      [
        "mappings/m.yaml:8:19 ENG_UNKNOWN_GENERATED_NAME generated.username needs a name generator; the mapping has no `nameGenerator:`. | Name generator 'account_names' produces 'username': add `nameGenerator: account_names`.",
        'mappings/m.yaml:10:13 ENG_UNKNOWN_GENERATED_NAME generated.password needs a password generator; the mapping has no `passwordGenerator:`. | Add `passwordGenerator: initial_password`.',
      ],
    )
    const issues = await check(
      ...create.slice(0, 9),
      '  sAMAccountName: generated.usrname',
      '  employeeID: e.employee_id',
    )
    assert.deepEqual(brief(issues), [
      "mappings/m.yaml:10:19 ENG_UNKNOWN_GENERATED_NAME Name generator 'account_names' produces no name 'usrname'. | Did you mean 'generated.username'?",
    ])
    assert.equal(issues[0]?.excerpt, 'generated.usrname\n^^^^^^^^^^^^^^^^^')
  })

  it('requires a key for every semantics but create, none for create, of the key column type', async () => {
    const update = ['kind: Mapping', 'name: u', 'system: directory', 'table: users'] // 1-4
    assert.deepEqual(
      brief(
        await check(...update, 'function: users_update', 'filter: surname_changed', 'attributes: { sn: e.last_name }'),
      ),
      [
        'mappings/m.yaml:5:11 ENG_MISSING_KEY Function users_update (update) finds its target row by directory.users.objectGUID, but the mapping has no `key:`. | Add `key: <expression>`, the value of objectGUID (string) for each filter row.',
      ],
    )
    assert.deepEqual(brief(await check(...update, 'function: users_disable', 'filter: leavers_with_account')), [
      'mappings/m.yaml:5:11 ENG_MISSING_KEY Function users_disable (disable) finds its target row by directory.users.sAMAccountName, but the mapping has no `key:`. | Add `key: u.sAMAccountName`, the value of sAMAccountName (string) for each filter row.',
    ])
    assert.deepEqual(
      brief(
        await check(
          ...update,
          'function: users_disable',
          'filter: leavers_with_account',
          'key: length(u.sAMAccountName)',
        ),
      ),
      [
        'mappings/m.yaml:7:6 ENG_TYPE_MISMATCH The key is integer, but the key column directory.users.sAMAccountName is string. | Convert with to_text(value).',
      ],
    )
    assert.deepEqual(brief(await check(...create, 'key: e.employee_id')), [
      "mappings/m.yaml:12:1 ENG_UNEXPECTED_KEY Function users_create creates rows: it has no target row to find, so the mapping takes no `key:`. | Remove `key:`; give the new row's key as an attribute when users_create takes one.",
    ])
  })

  it('takes a name generator only for a create: generated names are for new rows', async () => {
    const update = [
      'kind: Mapping', // 1
      'name: rename', // 2
      'system: directory', // 3
      'table: users', // 4
      'function: users_update', // 5
      'filter: needs_account', // 6
      'nameGenerator: account_names', // 7
      'key: e.employee_id', // 8
    ]
    assert.deepEqual(brief(await check(...update, 'attributes: { mail: generated.mail }')), [
      'mappings/m.yaml:7:1 ENG_NAME_GENERATOR_NOT_CREATE Function users_update (update) works on existing rows, but name generators make names for new rows: generated.<name> would have no value here. | Compute the new name with an expression over the filter row and remove `nameGenerator: account_names`, or use a create mapping.',
    ])
    const disable = update.map((l) => (l === 'function: users_update' ? 'function: users_disable' : l))
    assert.deepEqual(
      (await check(...disable)).map((i) => i.code),
      ['ENG_NAME_GENERATOR_NOT_CREATE'],
    )
  })

  it("checks the generators' expressions over the mapping's filter rows, positioned in the generator", async () => {
    // accounts_without_employee has no computed account_name, which the name generator reads.
    const issues = await check(
      'kind: Mapping',
      'name: m',
      'system: directory',
      'table: users',
      'function: users_create',
      'filter: accounts_without_employee',
      'nameGenerator: account_names',
      'attributes: { sAMAccountName: generated.username, employeeID: u.employeeID, mail: generated.mail }',
    )
    assert.deepEqual(
      brief(issues).map((l) => l.split(' | ')[0]),
      [
        "generators/g.yaml:5:15 EXPR_UNKNOWN_COLUMN There is no column 'account_name'. (used by mapping 'm' over its filter's rows)",
      ],
    )
  })

  it('is part of what the CLI validates', async () => {
    const { project: validated } = await project(yaml(...onHr500))
    const context = new CliContext({ project: validated.dir, json: false, quiet: true })
    const { issues } = await context.validate()
    assert.ok(issues.some((i) => i.code === 'ENG_READ_ONLY_SYSTEM' && i.file === 'mappings/m.yaml'))
  })
})
