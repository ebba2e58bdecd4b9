import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { type ProvisioError, silentLogger } from '../../core/index.ts'
import { csvConfigSchema, csvConnector, csvTableOptionsSchema } from './index.ts'
import { collectPages, configOf, rejectionOf, tableOf, tempProject } from './csv-test-kit.ts'

const failure = async (promise: Promise<unknown>) => (await rejectionOf(promise)) as unknown as ProvisioError

async function open(projectDir: string, config: Record<string, unknown> = {}) {
  return csvConnector.open(configOf(config), {
    projectDir,
    logger: silentLogger,
    openDatabase: () => Promise.reject(new Error('CSV connectors open no database')),
  })
}

describe('csvConnector definition', () => {
  it('is a read-only connector for declared tables', () => {
    assert.equal(csvConnector.type, 'csv')
    assert.deepEqual(csvConnector.capabilities, {
      supportsIncrementalRead: false,
      supportsApply: false,
      requiresDeclaredTables: true,
    })
  })

  it('fills in the config defaults', () => {
    assert.deepEqual(csvConfigSchema.parse({ folder: 'files/hr500' }), {
      folder: 'files/hr500',
      encoding: 'utf-8',
      delimiter: 'auto',
      quote: '"',
      header: true,
    })
  })

  it('refuses unknown keys, unknown encodings and unusable delimiters or quotes', () => {
    assert.equal(csvConfigSchema.safeParse({ folder: 'f', delimeter: ';' }).success, false)
    assert.equal(csvConfigSchema.safeParse({ folder: 'f', encoding: 'latin1' }).success, false)
    assert.equal(csvConfigSchema.safeParse({ folder: 'f', delimiter: ';;' }).success, false)
    assert.equal(csvConfigSchema.safeParse({ folder: 'f', delimiter: '\n' }).success, false)
    assert.equal(csvConfigSchema.safeParse({ folder: 'f', quote: '' }).success, false)
    assert.equal(csvTableOptionsSchema.safeParse({ fiel: 'x.csv' }).success, false)
    for (const delimiter of ['tab', '\\t', '\t', ';', '~']) {
      assert.equal(csvConfigSchema.safeParse({ folder: 'f', delimiter }).success, true, delimiter)
    }
  })
})

describe('csv connection', () => {
  it('checks that the folder exists and is a folder', async () => {
    const project = tempProject()
    await (await open(project.dir)).check()
    const missing = await failure((await open(project.dir, { folder: 'nowhere' })).check())
    assert.equal(missing.code, 'CON_CSV_FOLDER_NOT_FOUND')
    assert.match(missing.message, new RegExp(`${path.join(project.dir, 'nowhere')} does not exist`))
    assert.match(missing.hint ?? '', /config\.folder is 'nowhere'/)
    project.write('plain.txt', 'x')
    assert.equal(
      (await failure((await open(project.dir, { folder: 'files/plain.txt' })).check())).code,
      'CON_CSV_FOLDER_NOT_FOUND',
    )
  })

  it('discovers one table per CSV or TXT file with its header columns', async () => {
    const project = tempProject()
    project.write('employees.csv', '\uFEFFemployee_id;first_name\r\n1;Jan\r\n')
    project.write('Groups.TXT', 'name\tmembers\n')
    project.write('empty.csv', '')
    project.write('notes.md', 'ignored')
    fs.mkdirSync(path.join(project.folder, 'sub.csv'))
    const tables = await (await open(project.dir)).discover()
    assert.deepEqual(tables, [
      {
        name: 'Groups',
        columns: [
          { name: 'name', type: 'string' },
          { name: 'members', type: 'string' },
        ],
      },
      {
        name: 'employees',
        columns: [
          { name: 'employee_id', type: 'string' },
          { name: 'first_name', type: 'string' },
        ],
      },
      { name: 'empty', columns: [] },
    ])
  })

  it('discovers numbered columns when files have no header line', async () => {
    const project = tempProject()
    project.write('t.csv', '1,Jan,Delft\n')
    const [table] = await (await open(project.dir, { header: false })).discover()
    assert.deepEqual(
      table?.columns.map((c) => c.name),
      ['column_1', 'column_2', 'column_3'],
    )
  })

  it("reads a table from the file named after it, or from options.file, with the table's overrides", async () => {
    const project = tempProject()
    project.write('employees.csv', 'id,name\n1,Jan\n')
    project.write('export.txt', Buffer.from([...Buffer.from('id|name\n2|'), 0xc9, 0x6d, 0x69, 0x6c, 0x65, 0x0a]))
    const connection = await open(project.dir)
    const pages = await collectPages(connection.read({ table: tableOf('employees', ['id:integer', 'name']) }))
    assert.deepEqual(pages, [{ rows: [{ id: 1, name: 'Jan' }], lines: [2], source: 'employees.csv' }])
    const options = { file: 'export.txt', encoding: 'windows-1252', delimiter: '|' }
    const other = await collectPages(connection.read({ table: tableOf('people', ['id:integer', 'name'], options) }))
    assert.deepEqual(other[0]?.rows, [{ id: 2, name: 'Émile' }])
  })

  it('names the full path of a missing file and hints at config.folder and options.file', async () => {
    const project = tempProject()
    project.write('employees.csv', 'id\n')
    const error = await failure(collectPages((await open(project.dir)).read({ table: tableOf('employes', ['id']) })))
    assert.equal(error.code, 'CON_CSV_FILE_NOT_FOUND')
    assert.match(
      error.message,
      new RegExp(`${path.join(project.folder, 'employes.csv')} of table hr\\.employes does not exist`),
    )
    assert.match(
      error.hint ?? '',
      /config\.folder \('files'\) \+ options\.file \('employes\.csv'\).*Did you mean 'employees\.csv'\?/,
    )
  })

  it('reports a missing folder when reading', async () => {
    const project = tempProject()
    const connection = await open(project.dir, { folder: 'gone' })
    const error = await failure(collectPages(connection.read({ table: tableOf('t', ['id']) })))
    assert.equal(error.code, 'CON_CSV_FOLDER_NOT_FOUND')
  })

  it('refuses invalid table options and a quote equal to the delimiter', async () => {
    const project = tempProject()
    project.write('t.csv', 'id\n1\n')
    const connection = await open(project.dir)
    const unknown = await failure(collectPages(connection.read({ table: tableOf('t', ['id'], { fiel: 'x.csv' }) })))
    assert.equal(unknown.code, 'CON_CSV_INVALID_OPTIONS')
    assert.deepEqual(unknown.issues[0]?.path, ['tables', 't', 'options'])
    const same = await failure(
      collectPages(connection.read({ table: tableOf('t', ['id'], { delimiter: "'", quote: "'" }) })),
    )
    assert.equal(same.code, 'CON_CSV_INVALID_OPTIONS')
  })

  it('refuses to apply operations, since CSV is a source only', async () => {
    const connection = await open(tempProject().dir)
    const error = await failure(
      connection.apply(
        { id: 'op1', table: 'employees', function: 'employees_create', semantics: 'create', attributes: {} },
        {
          table: tableOf('employees', [{ name: 'id', type: 'string' }]),
          function: { name: 'employees_create', table: 'employees', semantics: 'create', parameters: [] },
        },
      ),
    )
    assert.equal(error.code, 'CON_CSV_READ_ONLY')
    await connection.close()
  })
})
