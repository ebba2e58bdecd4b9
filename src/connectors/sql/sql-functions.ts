/**
 * The functions a SQL table offers (DESIGN.md §1 "function"), derived from its declaration alone so
 * that `provisio validate` can check mappings without a connection:
 *
 * | function            | semantics | parameters                                                        |
 * |---------------------|-----------|-------------------------------------------------------------------|
 * | `<table>_create`    | create    | primary key and `mandatory` columns mandatory, `readOnly` prohibited, others optional |
 * | `<table>_update`    | update    | key prohibited (it names the row), `readOnly` prohibited, others optional |
 * | `<table>_delete`    | delete    | none                                                              |
 * | `<table>_disable`, `<table>_enable` | disable, enable | none (only with `options.disable`)      |
 *
 * With `options.password`, create and update also take the optional secret parameter `password`.
 *
 * A memberships table (`options.memberships`) offers only these, each with the mandatory
 * parameters `group` and `member` whose `column` is the configured column:
 *
 * | function            | semantics         |
 * |---------------------|-------------------|
 * | `<table>_add`       | membership-add    |
 * | `<table>_remove`    | membership-remove |
 */
import { type FunctionParameter, type FunctionSchema, MEMBERSHIP_PARAMETERS, type TableSchema } from '../../core/index.ts'
import { PASSWORD_PARAMETER, type SqlTablePlan, optionsOrDefaults, planOf } from './sql-table.ts'

function passwordParameter(plan: SqlTablePlan): FunctionParameter[] {
  if (plan.options.password === undefined) return []
  return [
    {
      name: PASSWORD_PARAMETER,
      type: 'string',
      allowance: 'optional',
      secret: true,
      description: `Stored as a ${plan.options.password.hash} hash in column ${plan.options.password.column}.`,
    },
  ]
}

function columnParameters(plan: SqlTablePlan, allowanceOf: (column: string) => FunctionParameter['allowance']) {
  // A column that clashes with the password parameter gives way to it (resolveTablePlan reports the clash).
  const columns = plan.table.columns.filter((c) => plan.options.password === undefined || c.name !== PASSWORD_PARAMETER)
  return columns.map((c): FunctionParameter => ({
    name: c.name,
    type: c.type,
    allowance: allowanceOf(c.name),
    column: c.name,
  }))
}

function createFunction(plan: SqlTablePlan): FunctionSchema {
  const { table } = plan
  return {
    name: `${table.name}_create`,
    table: table.name,
    semantics: 'create',
    parameters: [
      ...columnParameters(plan, (name) => {
        if (plan.readOnly.has(name)) return 'prohibited'
        return name === table.primaryKey || plan.mandatory.has(name) ? 'mandatory' : 'optional'
      }),
      ...passwordParameter(plan),
    ],
    description: `Inserts a row into ${plan.physical}.`,
  }
}

function keyedFunctions(plan: SqlTablePlan, keyColumn: string): FunctionSchema[] {
  const { table } = plan
  const keyed = (suffix: string, semantics: FunctionSchema['semantics'], description: string): FunctionSchema => ({
    name: `${table.name}_${suffix}`,
    table: table.name,
    semantics,
    parameters: [],
    keyColumn,
    description,
  })
  const update: FunctionSchema = {
    ...keyed(
      'update',
      'update',
      `Sets the given columns of the row of ${plan.physical} whose ${keyColumn} is the key.`,
    ),
    parameters: [
      ...columnParameters(plan, (name) => (name === keyColumn || plan.readOnly.has(name) ? 'prohibited' : 'optional')),
      ...passwordParameter(plan),
    ],
  }
  const functions = [
    update,
    keyed('delete', 'delete', `Deletes the row of ${plan.physical} whose ${keyColumn} is the key.`),
  ]
  const disable = plan.options.disable
  if (disable !== undefined) {
    functions.push(
      keyed('disable', 'disable', `Sets ${disable.column} to ${String(disable.disabledValue)}.`),
      keyed('enable', 'enable', `Sets ${disable.column} to ${String(disable.enabledValue)}.`),
    )
  }
  return functions
}

function membershipFunctions(plan: SqlTablePlan, memberships: Record<'group' | 'member', string>): FunctionSchema[] {
  const { table } = plan
  // A column that is not declared (checkTable reports it) is left out rather than named.
  const parameters = MEMBERSHIP_PARAMETERS.map((name): FunctionParameter => {
    const column = plan.columns.get(memberships[name])
    return {
      name,
      type: column === undefined || column.type === 'string[]' ? 'string' : column.type,
      allowance: 'mandatory',
      ...(column === undefined ? {} : { column: column.name }),
      description: `The ${name}, as column ${memberships[name]} holds it.`,
    }
  })
  const pair = `(${memberships.group}, ${memberships.member})`
  const fn = (suffix: string, semantics: FunctionSchema['semantics'], description: string): FunctionSchema => ({
    name: `${table.name}_${suffix}`,
    table: table.name,
    semantics,
    parameters,
    description,
  })
  return [
    fn('add', 'membership-add', `Inserts the pair ${pair} into ${plan.physical}; a pair already there is a success.`),
    fn('remove', 'membership-remove', `Deletes the pair ${pair} from ${plan.physical}; a pair not there is a success.`),
  ]
}

/**
 * The functions of one declared table. Pure: no connection, no I/O. Options that do not validate
 * count as absent here; `provisio validate` reports them on their own.
 *
 * @example
 * sqlFunctions(usersTable).map((f) => f.name) // ['users_create', 'users_update', 'users_delete']
 */
export function sqlFunctions(table: TableSchema): FunctionSchema[] {
  const plan = planOf(table, optionsOrDefaults(table))
  if (plan.options.memberships !== undefined) return membershipFunctions(plan, plan.options.memberships)
  const functions = [createFunction(plan)]
  // Without a key nothing identifies the row to change: such a table only takes creates.
  if (plan.keyColumn !== undefined) functions.push(...keyedFunctions(plan, plan.keyColumn))
  return functions
}
