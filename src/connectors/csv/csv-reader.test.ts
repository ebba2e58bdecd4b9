import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ProvisioError } from '../../core/index.ts'
import { readCsvFile } from './csv-reader.ts'
import { collectPages, readCsv, rejectionOf, settingsFor, tableOf, tempProject, utf16 } from './csv-test-kit.ts'

const failure = async (promise: Promise<unknown>) => (await rejectionOf(promise)) as unknown as ProvisioError

const HR = [
  'Personeelsnummer;Voornaam;Geboortedatum;FTE;Actief;Groepen;Extra',
  '1001;Jan;31-12-1980;0,8;ja;b|a;x',
  '1002;"Zoë; ""Z"" van Dijk";01-02-1990;1;nee;;y',
  '',
].join('\r\n')

const HR_COLUMNS = [
  { name: 'employee_id', type: 'integer', source: 'Personeelsnummer' },
  { name: 'first_name', source: 'voornaam ' },
  { name: 'birth_date', type: 'date', source: 'Geboortedatum', format: 'DD-MM-YYYY' },
  { name: 'fte', type: 'number', source: 'FTE', decimalSeparator: ',' },
  { name: 'groups', type: 'string[]', source: 'Groepen' },
] as const

describe('readCsvFile', () => {
  it('reads typed rows keyed by column name, from the source names of the header, with their lines', async () => {
    const { rows, lines } = await readCsv(HR.replace(';ja;', ';yes;').replace(';nee;', ';no;'), HR_COLUMNS)
    assert.deepEqual(rows, [
      { employee_id: 1001, first_name: 'Jan', birth_date: '1980-12-31', fte: 0.8, groups: ['a', 'b'] },
      { employee_id: 1002, first_name: 'Zoë; "Z" van Dijk', birth_date: '1990-02-01', fte: 1, groups: null },
    ])
    assert.deepEqual(lines, [2, 3])
  })

  it('prefers an exact header match over a case-insensitive one', async () => {
    const { rows } = await readCsv('Name,name\nA,b\n', ['name'])
    assert.deepEqual(rows, [{ name: 'b' }])
  })

  it('reads every auto-detected delimiter the same way', async () => {
    for (const delimiter of [',', ';', '\t', '|']) {
      const text = ['id', 'name', 'city'].join(delimiter) + '\n' + ['1', 'Jan', 'Delft'].join(delimiter) + '\n'
      const { rows } = await readCsv(text, ['id:integer', 'name', 'city'])
      assert.deepEqual(rows, [{ id: 1, name: 'Jan', city: 'Delft' }], JSON.stringify(delimiter))
    }
  })

  it('reads files with \\r line endings and with a tab delimiter spelt `tab`', async () => {
    assert.deepEqual((await readCsv('a\tb\r1\t2\r', ['a', 'b'], { delimiter: 'tab' })).rows, [{ a: '1', b: '2' }])
    assert.deepEqual((await readCsv('a\tb\r1\t2\r', ['a', 'b'], { delimiter: '\\t' })).lines, [2])
  })

  it('reads a file without a header line by declared column order', async () => {
    const { rows, lines } = await readCsv('1;Jan;extra\n\n2;Piet;more\n', ['id:integer', 'name'], { header: false })
    assert.deepEqual(rows, [
      { id: 1, name: 'Jan' },
      { id: 2, name: 'Piet' },
    ])
    assert.deepEqual(lines, [1, 3])
  })

  it('reads Windows-1252 and UTF-16 files', async () => {
    const latin = Buffer.from([...Buffer.from('naam;bedrag\n'), 0x4a, 0xe9, 0x3b, 0x80, 0x20, 0x35, 0x0a])
    assert.deepEqual((await readCsv(latin, ['naam', 'bedrag'], { encoding: 'windows-1252' })).rows, [
      { naam: 'Jé', bedrag: '€ 5' },
    ])
    const wide = utf16('naam\tstad\r\nÅse\t東京\r\n', 'le')
    assert.deepEqual((await readCsv(wide, ['naam', 'stad'])).rows, [{ naam: 'Åse', stad: '東京' }])
  })

  it('gives the same rows and lines when chunks split characters and quoted fields', async () => {
    const text = `id,name,note\n1,"Zoë 😀, ""Z""","a\nb"\n2,東京,x\n`
    const expected = await readCsv(text, ['id:integer', 'name', 'note'])
    for (const chunkSize of [1, 2, 3, 5, 7]) {
      const actual = await readCsv(text, ['id:integer', 'name', 'note'], {}, { chunkSize, sniffChars: 1 })
      assert.deepEqual(actual, expected, `chunk ${chunkSize}`)
    }
    assert.deepEqual(expected.lines, [2, 4])
  })

  it('passes hostile values through unchanged as strings', async () => {
    const values = [
      "'; DROP TABLE users; --",
      'Robert"); DELETE FROM x;--',
      'nul\u0000inside',
      '=cmd|" /C calc"!A0',
      '‮evil',
      '👩‍👩‍👧',
    ]
    const text = `v\n${values.map((v) => `"${v.replaceAll('"', '""')}"`).join('\n')}\n`
    assert.deepEqual(
      (await readCsv(text, ['v'])).rows.map((r) => r.v),
      values,
    )
  })

  it('yields pages of the page size with the line of each row and the file name as source', async () => {
    const project = tempProject()
    project.write('people.csv', 'id\n1\n2\n\n3\n4\n5\n')
    const pages = await collectPages(
      readCsvFile({
        settings: settingsFor(project, 'people.csv'),
        table: tableOf('people', ['id:integer']),
        pageSize: 2,
      }),
    )
    assert.deepEqual(
      pages.map((p) => p.rows.length),
      [2, 2, 1],
    )
    assert.deepEqual(
      pages.map((p) => p.lines),
      [[2, 3], [5, 6], [7]],
    )
    assert.deepEqual(
      pages.map((p) => p.source),
      ['people.csv', 'people.csv', 'people.csv'],
    )
  })

  it('reads a header-only file as no rows, and an empty headerless file as no rows', async () => {
    assert.deepEqual((await readCsv('id;name\r\n', ['id'])).rows, [])
    assert.deepEqual((await readCsv('', ['id'], { header: false })).rows, [])
  })

  it('stops between pages when the signal is aborted', async () => {
    const project = tempProject()
    project.write('t.csv', `id\n${Array.from({ length: 10 }, (_, i) => i).join('\n')}\n`)
    const controller = new AbortController()
    const pages = readCsvFile({
      settings: settingsFor(project, 't.csv'),
      table: tableOf('t', ['id']),
      pageSize: 3,
      signal: controller.signal,
    })
    const seen: number[] = []
    const error = await failure(
      (async () => {
        for await (const page of pages) {
          seen.push(page.rows.length)
          controller.abort()
        }
      })(),
    )
    assert.equal(error.code, 'CORE_ABORTED')
    assert.deepEqual(seen, [3])
  })
})

describe('readCsvFile errors', () => {
  it('names the missing column with a did-you-mean hint and the header names', async () => {
    const error = await failure(readCsv('employee_id;frist_name\n1;Jan\n', ['employee_id', 'first_name']))
    assert.equal(error.code, 'CON_CSV_MISSING_COLUMN')
    assert.match(
      error.message,
      /files\/t\.csv line 1: Column first_name reads 'first_name', which is not in the header line/,
    )
    assert.match(error.hint ?? '', /Did you mean 'frist_name'\? The header line has 'employee_id', 'frist_name'/)
    assert.deepEqual(
      error.issues.map((i) => i.path),
      [['first_name']],
    )
  })

  it('refuses a used header name that appears twice, and ignores unused duplicates', async () => {
    const error = await failure(readCsv('id,mail,mail\n1,a,b\n', ['id', 'mail']))
    assert.equal(error.code, 'CON_CSV_DUPLICATE_HEADER')
    assert.match(error.message, /'mail' \(field 2\), 'mail' \(field 3\)/)
    assert.deepEqual((await readCsv('id,mail,Mail\n1,a,b\n', ['id', 'mail'])).rows, [{ id: '1', mail: 'a' }])
    assert.deepEqual((await readCsv('id,x,x\n1,c,d\n', ['id'])).rows, [{ id: '1' }])
    const caseless = await failure(readCsv('id,MAIL,Mail\n1,a,b\n', ['id', 'mail']))
    assert.equal(caseless.code, 'CON_CSV_DUPLICATE_HEADER')
  })

  it('refuses a headerless file with fewer fields than declared columns', async () => {
    const error = await failure(readCsv('1;Jan\n', ['id', 'name', 'city'], { header: false }))
    assert.equal(error.code, 'CON_CSV_MISSING_COLUMN')
    assert.match(error.message, /has 2 fields, but table hr\.t declares 3 columns; city have no field/)
  })

  it('reports a ragged row with its line, compared with the header', async () => {
    const error = await failure(readCsv('a,b,c\n1,2,3\n4,5\n', ['a']))
    assert.equal(error.code, 'CON_CSV_RAGGED_ROW')
    assert.match(error.message, /files\/t\.csv line 3: This line has 2 fields, the header line has 3/)
  })

  it('names file, line, column, value, type and expected format of an invalid value', async () => {
    const error = await failure(readCsv(HR.replace('01-02-1990', '31-02-1990'), HR_COLUMNS))
    assert.equal(error.code, 'CON_CSV_INVALID_VALUE')
    assert.equal(
      error.message,
      'files/t.csv line 3, column 28: Column birth_date (date) expects a real date in the format DD-MM-YYYY; got "31-02-1990".',
    )
    assert.deepEqual(error.issues[0], {
      code: 'CON_CSV_INVALID_VALUE',
      message: 'Column birth_date (date) expects a real date in the format DD-MM-YYYY; got "31-02-1990".',
      hint: 'Correct the value, or set `format:` on the column to the format the file uses (tokens YYYY, MM, DD, M, D).',
      file: 'files/t.csv',
      line: 3,
      column: 28,
      path: ['birth_date'],
      value: '31-02-1990',
    })
  })

  it('lists the first 20 problems of a file and counts the rest', async () => {
    const bad = Array.from({ length: 30 }, (_, i) => `${i},x${i}`).join('\n')
    const error = await failure(readCsv(`id,n\n${bad}\n1,2,3\n`, ['id', 'n:integer']))
    assert.equal(error.issues.length, 20)
    assert.match(
      error.message,
      /has 31 problems in the data of table hr\.t; the first 20 are listed, 11 more are not shown\.$/,
    )
    assert.deepEqual(error.details, { problems: 31, listed: 20 })
    assert.deepEqual(
      error.issues.slice(0, 2).map((i) => [i.line, i.column, i.value]),
      [
        [2, 3, 'x0'],
        [3, 3, 'x1'],
      ],
    )
  })

  it('stops reading after the chunk in which the 20th problem was found', async () => {
    const bad = Array.from({ length: 200 }, (_, i) => `${i},x${i}`).join('\n')
    const error = await failure(readCsv(`id,n\n${bad}\n`, ['id', 'n:integer'], {}, { chunkSize: 64, sniffChars: 1 }))
    assert.equal(error.issues.length, 20)
    const stoppedAtLine = error.details?.stoppedAtLine
    assert.ok(typeof stoppedAtLine === 'number' && stoppedAtLine >= 21 && stoppedAtLine < 201, String(stoppedAtLine))
    assert.match(error.message, /has at least \d+ problems .*, and reading stopped after line \d+\.$/)
  })

  it('keeps the problems found before a fatal error', async () => {
    const error = await failure(readCsv('id\nx\n"open\n', ['id:integer']))
    assert.equal(error.code, 'CON_CSV_UNCLOSED_QUOTE')
    assert.deepEqual(
      error.issues.map((i) => i.code),
      ['CON_CSV_UNCLOSED_QUOTE', 'CON_CSV_INVALID_VALUE'],
    )
  })

  it('reports invalid quotes as a problem of the data', async () => {
    const error = await failure(readCsv('a,b\n1,"x"y",z\n', ['a']))
    assert.equal(error.code, 'CON_CSV_INVALID_QUOTES')
    assert.deepEqual([error.issues[0]?.line, error.issues[0]?.column], [2, 3])
  })

  it('refuses an empty file that should have a header line', async () => {
    assert.equal((await failure(readCsv('', ['id']))).code, 'CON_CSV_EMPTY_FILE')
    assert.equal((await failure(readCsv('\uFEFF\r\n\r\n', ['id']))).code, 'CON_CSV_EMPTY_FILE')
  })

  it('reports invalid bytes through the reader with their position', async () => {
    const content = Buffer.concat([Buffer.from('id,name\n1,ok\n2,Jos'), Buffer.from([0xe9]), Buffer.from('\n')])
    const error = await failure(readCsv(content, ['id', 'name']))
    assert.equal(error.code, 'CON_CSV_INVALID_ENCODING')
    assert.deepEqual([error.issues[0]?.line, error.issues[0]?.column, error.issues[0]?.value], [3, 6, 'E9'])
  })

  it('refuses a date format it cannot read, naming the column', async () => {
    const error = await failure(readCsv('d\n01-01-2020\n', [{ name: 'd', type: 'date', format: 'dd-mm-yyyy' }]))
    assert.equal(error.code, 'CON_CSV_INVALID_FORMAT')
    assert.match(error.message, /Column hr\.t\.d: The format 'dd-mm-yyyy' has 'd'/)
  })
})
