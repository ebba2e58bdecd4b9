import assert from 'node:assert/strict'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import Papa from 'papaparse'
import { CsvWriter } from './csv-writer.ts'

describe('CsvWriter', () => {
  let dir = ''
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provisio-csv-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const awkward = [
    ['1', 'plain', ''],
    ['2', 'semi;colon', 'say "hi"'],
    ['3', 'line\nbreak', 'carriage\rreturn'],
    ['4', '"', 'Zoë Ærøskøbing Łódź Nguyễn'],
  ]

  it('writes a BOM, a header, CRLF line ends and quotes only where needed', async () => {
    const path = join(dir, 'quoting.csv')
    const writer = await CsvWriter.open(path, ['id', 'a', 'b'])
    for (const row of awkward) writer.writeRow(row)
    await writer.close()
    const text = await readFile(path, 'utf8')
    assert.equal(
      text,
      '\uFEFFid;a;b\r\n1;plain;\r\n2;"semi;colon";"say ""hi"""\r\n3;"line\nbreak";"carriage\rreturn"\r\n' +
        '4;"""";Zoë Ærøskøbing Łódź Nguyễn\r\n',
    )
    assert.equal(writer.rows, 4)
  })

  it('round-trips through papaparse', async () => {
    const path = join(dir, 'roundtrip.csv')
    const writer = await CsvWriter.open(path, ['id', 'a', 'b'])
    for (const row of awkward) writer.writeRow(row)
    await writer.close()
    const text = (await readFile(path, 'utf8')).slice(1)
    const parsed = Papa.parse<string[]>(text, { delimiter: ';', newline: '\r\n', skipEmptyLines: true })
    assert.deepEqual(parsed.errors, [])
    assert.deepEqual(parsed.data, [['id', 'a', 'b'], ...awkward])
  })

  it('writes many small chunks in order', async () => {
    const path = join(dir, 'chunks.csv')
    const writer = await CsvWriter.open(path, ['n'], { chunkSize: 64 })
    for (let n = 0; n < 5000; n++) {
      writer.writeRow([String(n)])
      await writer.flushIfFull()
    }
    await writer.close()
    const lines = (await readFile(path, 'utf8')).split('\r\n')
    assert.equal(lines.length, 5002)
    assert.equal(lines[5000], '4999')
  })

  it('shows a file only when it is complete and removes it on abort', async () => {
    const path = join(dir, 'aborted.csv')
    const writer = await CsvWriter.open(path, ['n'])
    writer.writeRow(['1'])
    assert.ok(!(await readdir(dir)).includes('aborted.csv'))
    await writer.abort()
    assert.ok(!(await readdir(dir)).some((f) => f.startsWith('aborted')))
  })
})
