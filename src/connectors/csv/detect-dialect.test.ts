import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { detectDelimiter, detectNewline } from './detect-dialect.ts'

describe('detectDelimiter', () => {
  const cases: [string, string, string][] = [
    ['comma', 'id,name,city\n1,Jan,Delft\n2,Piet,Ede\n', ','],
    ['semicolon', 'id;name;fte\n1;Jan;0,8\n2;Piet;1,0\n', ';'],
    ['tab', 'id\tname\tcity\n1\tJan, J.\tDelft\n', '\t'],
    ['pipe', 'id|name|groups\n1|Jan|a;b\n', '|'],
  ]
  for (const [name, sample, expected] of cases) {
    it(`detects ${name}`, () => assert.equal(detectDelimiter(sample, '"', '\n'), expected))
  }

  it('ignores delimiters inside quoted values', () => {
    assert.equal(detectDelimiter('name;address\n"Jan, J.";"Street 1, Delft, NL"\n', '"', '\n'), ';')
    assert.equal(detectDelimiter("a;b\n'x,y,z';1\n", "'", '\n'), ';')
  })

  it('prefers the delimiter whose count is the same on every line', () => {
    // The first line has one comma and one semicolon; only the semicolon stays consistent.
    const sample = 'id;name,initials\n1;Jansen,J.,K.\n2;Smit,P.,Q.\n3;Kok,A.,B.\n'
    assert.equal(detectDelimiter(sample, '"', '\n'), ';')
  })

  it('falls back to a comma for a one-column file', () => {
    assert.equal(detectDelimiter('name\nJan\nPiet\n', '"', '\n'), ',')
    assert.equal(detectDelimiter('', '"', '\n'), ',')
  })

  it('skips blank lines and uses the file line ending', () => {
    assert.equal(detectDelimiter('\r\n\r\na;b\r\n1;2\r\n', '"', '\r\n'), ';')
  })
})

describe('detectNewline', () => {
  it('finds \\n, \\r\\n and \\r', () => {
    assert.equal(detectNewline('a,b\nc,d\n', '"', false), '\n')
    assert.equal(detectNewline('a,b\r\nc,d\r\n', '"', false), '\r\n')
    assert.equal(detectNewline('a,b\rc,d\r', '"', false), '\r')
  })

  it('ignores line breaks inside quoted values', () => {
    assert.equal(detectNewline('"multi\nline",b\r\nc,d\r\n', '"', false), '\r\n')
  })

  it('waits for more text when the sample ends in \\r or has no line break', () => {
    assert.equal(detectNewline('a,b\r', '"', false), undefined)
    assert.equal(detectNewline('a,b\r', '"', true), '\r')
    assert.equal(detectNewline('a,b', '"', false), undefined)
  })
})
