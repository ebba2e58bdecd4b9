import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { tableOf } from '../../../test/support/sql-targets.ts'
import { sqlConfigSchema, sqlConnector, sqlFunctions, sqlTableOptionsSchema } from './index.ts'
import { resolveTablePlan } from './sql-table.ts'

const users = (options: Record<string, unknown> = {}) =>
  tableOf('users', ['id:integer', 'username', 'mail', 'enabled:boolean', 'groups:string[]'], {
    primaryKey: 'id',
    options,
  })

const allowances = (fn: { parameters: readonly { name: string; allowance: string }[] } | undefined) =>
  Object.fromEntries((fn?.parameters ?? []).map((p) => [p.name, p.allowance]))

describe('sqlConnector definition', () => {
  it('writes and reads declared tables, without incremental reads', () => {
    assert.equal(sqlConnector.type, 'sql')
    assert.deepEqual(sqlConnector.capabilities, {
      supportsIncrementalRead: false,
      supportsApply: true,
      requiresDeclaredTables: true,
    })
  })

  it('takes exactly one of file and url, and a schema only with a url', () => {
    assert.deepEqual(sqlConfigSchema.parse({ file: 'data/dir.db' }), { file: 'data/dir.db', pageSize: 5000 })
    assert.equal(sqlConfigSchema.safeParse({}).success, false)
    assert.equal(sqlConfigSchema.safeParse({ file: 'a.db', url: '${env:DB_URL}' }).success, false)
    assert.equal(sqlConfigSchema.safeParse({ file: 'a.db', schema: 'x' }).success, false)
    assert.equal(sqlConfigSchema.safeParse({ url: '${env:DB_URL}', schema: 'directory' }).success, true)
    assert.equal(sqlConfigSchema.safeParse({ file: 'a.db', pageSize: 0 }).success, false)
    assert.equal(sqlConfigSchema.safeParse({ file: 'a.db', folder: 'x' }).success, false)
  })

  it('accepts a URL only as a reference, or written out when it holds no password', () => {
    const url = (value: string) => sqlConfigSchema.safeParse({ url: value })
    assert.equal(url('${env:DIRECTORY_DB_URL}').success, true)
    assert.equal(url('postgres://provisio@db.example.org:5432/directory').success, true)
    assert.equal(url('postgresql://db.example.org/directory?sslmode=require').success, true)
    const plain = url('postgres://provisio:s3cret@db.example.org/directory')
    assert.equal(plain.success, false)
    assert.equal(plain.error?.issues[0]?.code, 'invalid_format')
    assert.doesNotMatch(JSON.stringify(plain.error?.issues.map((i) => i.message)), /s3cret/)
    assert.equal(url('postgres://db.example.org/directory?password=s3cret').success, false)
    assert.equal(url('mysql://db.example.org/directory').success, false)
  })

  it('fills in the table option defaults, also when options are absent', () => {
    assert.deepEqual(sqlTableOptionsSchema.parse(undefined), { mandatory: [], readOnly: [] })
    assert.deepEqual(sqlTableOptionsSchema.parse({ disable: { column: 'enabled' } }), {
      mandatory: [],
      readOnly: [],
      disable: { column: 'enabled', disabledValue: false, enabledValue: true },
    })
    assert.equal(sqlTableOptionsSchema.safeParse({ password: { column: 'hash', hash: 'md5' } }).success, false)
    assert.equal(sqlTableOptionsSchema.safeParse({ readonly: ['id'] }).success, false)
  })
})

describe('sqlFunctions', () => {
  it('offers create, update and delete with allowances from the options', () => {
    const functions = sqlFunctions(users({ readOnly: ['id'], mandatory: ['username'] }))
    assert.deepEqual(
      functions.map((f) => [f.name, f.semantics, f.keyColumn]),
      [
        ['users_create', 'create', undefined],
        ['users_update', 'update', 'id'],
        ['users_delete', 'delete', 'id'],
      ],
    )
    assert.deepEqual(allowances(functions[0]), {
      id: 'prohibited',
      username: 'mandatory',
      mail: 'optional',
      enabled: 'optional',
      groups: 'optional',
    })
    assert.deepEqual(allowances(functions[1]), {
      id: 'prohibited',
      username: 'optional',
      mail: 'optional',
      enabled: 'optional',
      groups: 'optional',
    })
    assert.deepEqual(functions[2]?.parameters, [])
    assert.deepEqual(
      functions[0]?.parameters.map((p) => [p.name, p.type, p.column]),
      [
        ['id', 'integer', 'id'],
        ['username', 'string', 'username'],
        ['mail', 'string', 'mail'],
        ['enabled', 'boolean', 'enabled'],
        ['groups', 'string[]', 'groups'],
      ],
    )
  })

  it('makes a writable primary key mandatory for create', () => {
    assert.equal(allowances(sqlFunctions(users())[0]).id, 'mandatory')
  })

  it('adds disable and enable, and a secret optional password for create and update', () => {
    const functions = sqlFunctions(
      users({ disable: { column: 'enabled' }, password: { column: 'password_hash', hash: 'scrypt' } }),
    )
    assert.deepEqual(
      functions.map((f) => f.name),
      ['users_create', 'users_update', 'users_delete', 'users_disable', 'users_enable'],
    )
    for (const fn of functions.slice(0, 2)) {
      const password = fn.parameters.find((p) => p.name === 'password')
      assert.deepEqual(
        { ...password, description: undefined },
        { name: 'password', type: 'string', allowance: 'optional', secret: true, description: undefined },
      )
    }
    assert.deepEqual(functions[3]?.parameters, [])
    assert.equal(functions[4]?.semantics, 'enable')
  })

  it('identifies rows by the first reference key when there is no primary key, and offers only create without keys', () => {
    const byMail = tableOf('users', ['username', 'mail'], { referenceKeys: ['mail'] })
    assert.equal(sqlFunctions(byMail)[1]?.keyColumn, 'mail')
    const keyless = tableOf('log', ['line'])
    assert.deepEqual(
      sqlFunctions(keyless).map((f) => f.name),
      ['log_create'],
    )
  })

  it('treats options that do not validate as absent (validate reports them)', () => {
    assert.deepEqual(
      sqlFunctions(users({ mandatory: 'username' })).map((f) => f.name),
      ['users_create', 'users_update', 'users_delete'],
    )
  })
})

describe('resolveTablePlan', () => {
  it('reports every option that names an undeclared column, with did-you-mean', () => {
    assert.throws(
      () => resolveTablePlan(users({ mandatory: ['usrname'], readOnly: ['uid'], disable: { column: 'enabld' } })),
      (error: Error & { code?: string; issues?: { path: unknown[]; hint?: string }[] }) => {
        assert.equal(error.code, 'CON_SQL_INVALID_OPTIONS')
        assert.deepEqual(
          error.issues?.map((i) => i.path.join('.')),
          [
            'tables.users.options.mandatory.0',
            'tables.users.options.readOnly.0',
            'tables.users.options.disable.column',
          ],
        )
        assert.equal(error.issues?.[0]?.hint, "Did you mean 'username'?")
        return true
      },
    )
  })

  it('refuses a password column that is declared, and a column named like the password parameter', () => {
    const declared = tableOf('users', ['id', 'hash'], {
      primaryKey: 'id',
      options: { password: { column: 'hash' } },
    })
    assert.throws(() => resolveTablePlan(declared), /password column 'hash' is declared as column 'hash'/)
    const clash = tableOf('users', ['id', { name: 'password', source: 'pw_text' }], {
      primaryKey: 'id',
      options: { password: { column: 'hash' } },
    })
    assert.throws(() => resolveTablePlan(clash), /clashes with the secret parameter/)
  })

  it('refuses a column that is both mandatory and read-only', () => {
    assert.throws(
      () => resolveTablePlan(users({ mandatory: ['id'], readOnly: ['id'] })),
      /both mandatory and read-only/,
    )
  })
})
