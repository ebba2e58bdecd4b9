import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ProvisioError } from '../../core/index.ts'
import type { CsvEncoding } from './csv-schema.ts'
import { tempProject, rejectionOf, utf16 } from './csv-test-kit.ts'
import { decodeFile, detectBom } from './decode-stream.ts'

async function decodeAll(
  content: string | Uint8Array,
  encoding: CsvEncoding = 'utf-8',
  chunkSize?: number,
): Promise<string> {
  const file = tempProject().write('t.csv', content)
  let text = ''
  for await (const piece of decodeFile(file, { encoding, displayPath: 'files/t.csv', chunkSize })) text += piece
  return text
}

async function decodeError(content: string | Uint8Array, encoding: CsvEncoding = 'utf-8', chunkSize?: number) {
  return (await rejectionOf(decodeAll(content, encoding, chunkSize))) as unknown as ProvisioError
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))))

describe('decodeFile', () => {
  it('reads UTF-8 without a byte order mark', async () => {
    assert.equal(await decodeAll('naam;stad\nJosé;Zürich 😀\n'), 'naam;stad\nJosé;Zürich 😀\n')
  })

  it('skips a UTF-8 byte order mark', async () => {
    assert.equal(await decodeAll('\uFEFFid\n1\n'), 'id\n1\n')
  })

  it('reads UTF-16 LE and BE with their byte order marks', async () => {
    assert.equal(await decodeAll(utf16('id;naam\n1;Zoë 😀\n', 'le'), 'utf-16le'), 'id;naam\n1;Zoë 😀\n')
    assert.equal(await decodeAll(utf16('id;naam\n1;Zoë 😀\n', 'be'), 'utf-16be'), 'id;naam\n1;Zoë 😀\n')
  })

  it('honours a UTF-16 byte order mark on a file declared utf-8', async () => {
    assert.equal(await decodeAll(utf16('id\nÅse\n', 'le'), 'utf-8'), 'id\nÅse\n')
    assert.equal(await decodeAll(utf16('id\nÅse\n', 'be'), 'utf-8'), 'id\nÅse\n')
  })

  it('reads UTF-16 without a byte order mark when declared', async () => {
    assert.equal(await decodeAll(utf16('a,b\n', 'le', false), 'utf-16le'), 'a,b\n')
    assert.equal(await decodeAll(utf16('a,b\n', 'be', false), 'utf-16be'), 'a,b\n')
  })

  it('maps Windows-1252 bytes 0x80-0x9F to their characters, not to C1 controls', async () => {
    const text = await decodeAll(bytes([0x80, 0x20, 0x92, 0x93, 0x94, 0x20, 0xe9, 0x20, 0x81, 0x9f]), 'windows-1252')
    assert.equal(text, '\u20AC \u2019\u201C\u201D \u00E9 \u0081\u0178')
  })

  it('decodes a UTF-8 character cut by a chunk boundary, for every boundary position', async () => {
    const content = 'a😀é€\nZürich,東京\n'
    for (let chunkSize = 1; chunkSize <= 9; chunkSize++) {
      assert.equal(await decodeAll(content, 'utf-8', chunkSize), content, `chunk size ${chunkSize}`)
    }
  })

  it('decodes a UTF-16 surrogate pair cut by a chunk boundary', async () => {
    for (let chunkSize = 1; chunkSize <= 7; chunkSize++) {
      assert.equal(await decodeAll(utf16('x😀y\n😀', 'le'), 'utf-16le', chunkSize), 'x😀y\n😀', `LE chunk ${chunkSize}`)
      assert.equal(await decodeAll(utf16('x😀y\n😀', 'be'), 'utf-16be', chunkSize), 'x😀y\n😀', `BE chunk ${chunkSize}`)
    }
  })

  it('reads empty files, files with only a byte order mark and files shorter than a BOM', async () => {
    assert.equal(await decodeAll(''), '')
    assert.equal(await decodeAll(bytes([0xef, 0xbb, 0xbf])), '')
    assert.equal(await decodeAll(bytes([0xff, 0xfe])), '')
    assert.equal(await decodeAll('a'), 'a')
    assert.equal(await decodeAll('ab'), 'ab')
  })
})

describe('decodeFile with invalid bytes', () => {
  it('names the line, the character column and the bytes of invalid UTF-8', async () => {
    const content = bytes('id,naam\r\n1,Zoë 😀 Jos', [0xe9], ' x\n')
    for (const chunkSize of [undefined, 3, 5]) {
      const error = await decodeError(content, 'utf-8', chunkSize)
      assert.equal(error.code, 'CON_CSV_INVALID_ENCODING')
      assert.match(error.message, /files\/t\.csv line 2, column 12: the bytes E9 are not valid UTF-8/)
      assert.deepEqual(
        {
          line: error.issues[0]?.line,
          column: error.issues[0]?.column,
          value: error.issues[0]?.value,
          file: error.issues[0]?.file,
        },
        { line: 2, column: 12, value: 'E9', file: 'files/t.csv' },
      )
      assert.match(error.hint ?? '', /windows-1252/)
    }
  })

  it('counts lines ended by \\r alone and the line after a UTF-8 BOM', async () => {
    const error = await decodeError(bytes([0xef, 0xbb, 0xbf], 'a\rb\r\nc\nd', [0xc3, 0x28]))
    assert.deepEqual([error.issues[0]?.line, error.issues[0]?.column, error.issues[0]?.value], [4, 2, 'C3'])
  })

  it('rejects a UTF-8 sequence cut off by the end of the file', async () => {
    const error = await decodeError(bytes('ab', [0xe2, 0x82]), 'utf-8', 2)
    assert.deepEqual([error.issues[0]?.line, error.issues[0]?.column, error.issues[0]?.value], [1, 3, 'E2 82'])
  })

  it('rejects overlong encodings and UTF-16 surrogates written as UTF-8', async () => {
    assert.equal((await decodeError(bytes('x', [0xc0, 0xaf]))).issues[0]?.value, 'C0')
    assert.equal((await decodeError(bytes('x', [0xed, 0xa0, 0x80]))).issues[0]?.value, 'ED')
  })

  it('reports an unpaired UTF-16 surrogate with its position', async () => {
    const le = Buffer.concat([
      Buffer.from(utf16('id\nab', 'le')),
      Buffer.from([0x00, 0xd8]),
      Buffer.from('c\n', 'utf16le'),
    ])
    const error = await decodeError(le, 'utf-16le')
    assert.equal(error.code, 'CON_CSV_INVALID_ENCODING')
    assert.match(error.message, /line 2, column 3: the bytes 00 D8 are an unpaired UTF-16 surrogate/)
    const be = Buffer.concat([Buffer.from(utf16('ab', 'be')), Buffer.from([0xdc, 0x00])])
    assert.deepEqual([(await decodeError(be, 'utf-16be', 3)).issues[0]?.column], [3])
  })

  it('reports a UTF-16 file with an odd number of bytes', async () => {
    const content = Buffer.concat([Buffer.from(utf16('a\nbc', 'le')), Buffer.from([0x41])])
    const error = await decodeError(content, 'utf-16le')
    assert.match(error.message, /line 2, column 3: the file ends with a single byte \(41\)/)
  })

  it('blames a damaged file with a UTF-16 byte order mark on the BOM, not on the declared encoding', async () => {
    const content = Buffer.concat([Buffer.from(utf16('a', 'le')), Buffer.from([0x00, 0xdc])])
    const error = await decodeError(content, 'utf-8')
    assert.match(error.hint ?? '', /byte order mark, which overrides encoding: utf-8/)
  })
})

describe('detectBom', () => {
  it('recognises the three byte order marks and nothing else', () => {
    assert.deepEqual(detectBom(bytes([0xef, 0xbb, 0xbf, 0x41])), { encoding: 'utf-8', length: 3 })
    assert.deepEqual(detectBom(bytes([0xff, 0xfe, 0x41])), { encoding: 'utf-16le', length: 2 })
    assert.deepEqual(detectBom(bytes([0xfe, 0xff])), { encoding: 'utf-16be', length: 2 })
    assert.equal(detectBom(bytes('id')), undefined)
  })
})
