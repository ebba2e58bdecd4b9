import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Issue, ProvisioError } from '../../core/index.ts'
import { type RecordBatch, readRecords } from './csv-records.ts'
import { rejectionOf } from './csv-test-kit.ts'

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

interface Parsed {
  records: string[][]
  lines: number[]
  problems: Issue[]
  batches: RecordBatch[]
}

async function parse(
  text: string,
  options: { delimiter?: string; quote?: string; chunk?: number; maxRecordChars?: number } = {},
): Promise<Parsed> {
  const parsed: Parsed = { records: [], lines: [], problems: [], batches: [] }
  const source = chunksOf(text, options.chunk ?? Math.max(text.length, 1))
  const batches = readRecords(source, {
    delimiter: options.delimiter ?? 'auto',
    quote: options.quote ?? '"',
    displayPath: 'files/t.csv',
    sniffChars: 1,
    maxRecordChars: options.maxRecordChars,
  })
  for await (const batch of batches) {
    parsed.batches.push(batch)
    parsed.records.push(...batch.records)
    parsed.lines.push(...batch.lines)
    parsed.problems.push(...batch.problems)
  }
  return parsed
}

const MULTILINE = [
  'id,name,note',
  '1,"Jansen, Jan","says ""hi"""',
  '2,Smit,"line one',
  'line two',
  'line three"',
  '',
  '3,Kok,"a,b;c|d"',
  '4,"""quoted""",last',
  '',
].join('\n')

describe('readRecords', () => {
  it('unquotes fields with delimiters, doubled quotes and line breaks', async () => {
    const { records } = await parse(MULTILINE)
    assert.deepEqual(records, [
      ['id', 'name', 'note'],
      ['1', 'Jansen, Jan', 'says "hi"'],
      ['2', 'Smit', 'line one\nline two\nline three'],
      ['3', 'Kok', 'a,b;c|d'],
      ['4', '"quoted"', 'last'],
    ])
  })

  it('numbers records by the physical line they start on, across multi-line fields and blank lines', async () => {
    assert.deepEqual((await parse(MULTILINE)).lines, [1, 2, 3, 7, 8])
  })

  it('gives the same records and lines for \\r\\n and \\r line endings', async () => {
    const expected = await parse(MULTILINE)
    for (const newline of ['\r\n', '\r']) {
      const { records, lines } = await parse(MULTILINE.replaceAll('\n', newline))
      assert.deepEqual(lines, expected.lines, JSON.stringify(newline))
      assert.deepEqual(records.slice(0, 2), expected.records.slice(0, 2))
      assert.equal(records[2]?.[2], `line one${newline}line two${newline}line three`)
    }
  })

  it('counts a \\n inside a quoted cell of a \\r\\n file as a line, as Excel writes them', async () => {
    const { lines, records } = await parse('a;b\r\n1;"x\ny"\r\n2;z\r\n')
    assert.deepEqual(lines, [1, 2, 4])
    assert.equal(records[1]?.[1], 'x\ny')
  })

  it('treats a stray \\r\\n in a \\n file as one line end', async () => {
    const { records, lines } = await parse('a,b\n1,x\r\n2,y\n')
    assert.deepEqual(records, [
      ['a', 'b'],
      ['1', 'x'],
      ['2', 'y'],
    ])
    assert.deepEqual(lines, [1, 2, 3])
  })

  it('reads a last line without a line ending', async () => {
    assert.deepEqual((await parse('a,b\n1,2')).records, [
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('uses a custom quote character', async () => {
    const { records } = await parse("id;name\n1;'O''Brien; Pat'\n2;\"as is\"\n", { quote: "'" })
    assert.deepEqual(records, [
      ['id', 'name'],
      ['1', "O'Brien; Pat"],
      ['2', '"as is"'],
    ])
  })

  it('uses an explicit delimiter instead of detecting one', async () => {
    assert.deepEqual((await parse('a,b;c\n1,2;3\n', { delimiter: ';' })).records, [
      ['a,b', 'c'],
      ['1,2', '3'],
    ])
  })

  it('passes NUL characters, SQL and unicode through unchanged', async () => {
    const hostile = ["'; DROP TABLE users; --", 'a\u0000b', 'Ωmega 😀 ‮rtl', 'SELECT * FROM x WHERE 1=1']
    const text = `v\n${hostile.map((h) => `"${h}"`).join('\n')}\n`
    assert.deepEqual(
      (await parse(text)).records.slice(1),
      hostile.map((h) => [h]),
    )
  })

  it('gives the same records and lines whatever the chunk size, including boundaries inside quoted fields', async () => {
    const expected = await parse(MULTILINE.replaceAll('\n', '\r\n'))
    for (let chunk = 1; chunk <= 12; chunk++) {
      const { records, lines, problems } = await parse(MULTILINE.replaceAll('\n', '\r\n'), { chunk })
      assert.deepEqual(records, expected.records, `chunk ${chunk}`)
      assert.deepEqual(lines, expected.lines, `chunk ${chunk}`)
      assert.deepEqual(problems, [], `chunk ${chunk}`)
    }
  })

  it('reports text after a closing quote as a problem, keeping the other records', async () => {
    const { records, problems } = await parse('a,b\n1,"x"y",z\n2,ok\n')
    assert.deepEqual(records, [
      ['a', 'b'],
      ['2', 'ok'],
    ])
    assert.equal(problems.length, 1)
    assert.deepEqual([problems[0]?.code, problems[0]?.line, problems[0]?.column], ['CON_CSV_INVALID_QUOTES', 2, 3])
  })

  it('reports a quote followed by text, and never closed after it, as unclosed', async () => {
    const error = (await rejectionOf(parse('a,b\n1,"x"y,z\n2,ok\n'))) as unknown as ProvisioError
    assert.equal(error.code, 'CON_CSV_UNCLOSED_QUOTE')
    assert.deepEqual([error.issues[0]?.line, error.issues[0]?.column], [2, 3])
  })

  it('reports an unclosed quote at the end of the file where it opens', async () => {
    const error = (await rejectionOf(parse('a,b\n1,ok\n2,"never closed\n3,x\n'))) as unknown as ProvisioError
    assert.equal(error.code, 'CON_CSV_UNCLOSED_QUOTE')
    assert.deepEqual([error.issues[0]?.line, error.issues[0]?.column], [3, 3])
    assert.match(error.message, /files\/t\.csv line 3, column 3/)
  })

  it('stops at an unclosed quote once the record outgrows the limit, instead of reading on', async () => {
    async function* endless(): AsyncGenerator<string> {
      yield 'a,b\n1,"open\n'
      for (;;) yield 'more text without a closing quote\n'
    }
    const records = readRecords(endless(), { delimiter: ',', quote: '"', displayPath: 't.csv', maxRecordChars: 10_000 })
    const error = (await rejectionOf(
      (async () => {
        for await (const _ of records);
      })(),
    )) as unknown as ProvisioError
    assert.equal(error.code, 'CON_CSV_UNCLOSED_QUOTE')
    assert.equal(error.issues[0]?.line, 2)
  })

  it('refuses a record without any line ending beyond the limit', async () => {
    const error = (await rejectionOf(
      parse(`a\n${'x'.repeat(200)}`, { chunk: 10, maxRecordChars: 50 }),
    )) as unknown as ProvisioError
    assert.equal(error.code, 'CON_CSV_RECORD_TOO_LONG')
  })

  it('locates a field on the line it starts, after a multi-line field', async () => {
    const { batches } = await parse('id,note,x\n1,"two\nlines",  "z"\n')
    const batch = batches[0]
    assert.ok(batch)
    assert.deepEqual(batch.locate(2, 0), { line: 2, column: 1 })
    assert.deepEqual(batch.locate(2, 1), { line: 2, column: 3 })
    assert.deepEqual(batch.locate(2, 2), { line: 3, column: 8 })
  })

  it('yields nothing for an empty file', async () => {
    assert.deepEqual((await parse('')).records, [])
    assert.deepEqual((await parse('\n\n')).records, [])
  })
})
