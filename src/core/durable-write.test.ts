import assert from 'node:assert/strict'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, it } from 'node:test'
import {
  makeDirectoryDurably,
  makeDirectoryDurablySync,
  renameDurably,
  renameDurablySync,
  writeFileDurably,
  writeFileDurablySync,
} from './durable-write.ts'

const POSIX = process.platform !== 'win32'
/** root ignores folder permissions, so a read-only folder cannot make a write fail there. */
const ROOT = process.getuid?.() === 0

const variants = [
  { name: 'async', write: writeFileDurably, rename: renameDurably },
  {
    name: 'sync',
    write: async (...args: Parameters<typeof writeFileDurablySync>) => writeFileDurablySync(...args),
    rename: async (from: string, to: string) => renameDurablySync(from, to),
  },
] as const

for (const { name, write, rename } of variants) {
  describe(`durable write (${name})`, () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'provisio-durable-'))
    let n = 0
    const folder = () => {
      const dir = path.join(root, String(n++))
      mkdirSync(dir)
      return dir
    }
    after(() => rmSync(root, { recursive: true, force: true }))

    it('writes the text, replacing the file, and leaves nothing else in the folder', async () => {
      const dir = folder()
      const file = path.join(dir, 'roles.yaml')
      await write(file, 'kind: A\n')
      assert.equal(readFileSync(file, 'utf8'), 'kind: A\n')
      await write(file, 'kind: ünïcode\n')
      assert.equal(readFileSync(file, 'utf8'), 'kind: ünïcode\n')
      await write(file, Buffer.from('bytes'))
      assert.equal(readFileSync(file, 'utf8'), 'bytes')
      assert.deepEqual(readdirSync(dir), ['roles.yaml'])
    })

    it('keeps the mode of the file it replaces, and pins a mode given', { skip: !POSIX }, async () => {
      const dir = folder()
      const file = path.join(dir, 'kept.yaml')
      writeFileSync(file, 'old')
      chmodSync(file, 0o640)
      await write(file, 'new')
      assert.equal(statSync(file).mode & 0o777, 0o640)
      const key = path.join(dir, 'key.pem')
      await write(key, 'secret', { mode: 0o600 })
      assert.equal(statSync(key).mode & 0o777, 0o600)
      await write(file, 'wider', { mode: 0o664 }) // wider than the usual umask 022 allows: pinned by chmod
      assert.equal(statSync(file).mode & 0o777, 0o664)
    })

    it('leaves no temporary file and the target as it was when the rename fails', async () => {
      const dir = folder()
      const file = path.join(dir, 'in-the-way')
      mkdirSync(file)
      writeFileSync(path.join(file, 'inside'), 'x')
      await assert.rejects(write(file, 'text'))
      assert.deepEqual(readdirSync(dir), ['in-the-way'])
      assert.deepEqual(readdirSync(file), ['inside'])
    })

    it('leaves no temporary file when the folder is read-only', { skip: !POSIX || ROOT }, async () => {
      const dir = folder()
      const file = path.join(dir, 'roles.yaml')
      writeFileSync(file, 'old')
      chmodSync(dir, 0o500)
      try {
        await assert.rejects(write(file, 'new'), { code: 'EACCES' })
      } finally {
        chmodSync(dir, 0o700)
      }
      assert.equal(readFileSync(file, 'utf8'), 'old')
      assert.deepEqual(readdirSync(dir), ['roles.yaml'])
    })

    it('never replaces an existing file when exclusive', async () => {
      const dir = folder()
      const file = path.join(dir, 'secret.key')
      await write(file, 'first', { mode: 0o600, exclusive: true })
      await assert.rejects(write(file, 'second', { mode: 0o600, exclusive: true }), { code: 'EEXIST' })
      assert.equal(readFileSync(file, 'utf8'), 'first')
      if (POSIX) assert.equal(statSync(file).mode & 0o777, 0o600)
      assert.deepEqual(readdirSync(dir), ['secret.key'])
    })

    it('renames', async () => {
      const dir = folder()
      writeFileSync(path.join(dir, 'a.new'), 'new')
      writeFileSync(path.join(dir, 'a'), 'old')
      await rename(path.join(dir, 'a.new'), path.join(dir, 'a'))
      assert.equal(readFileSync(path.join(dir, 'a'), 'utf8'), 'new')
      assert.deepEqual(readdirSync(dir), ['a'])
    })
  })
}

describe('durable folders', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'provisio-durable-dir-'))
  after(() => rmSync(root, { recursive: true, force: true }))

  it('makes every missing folder, with the mode given, and accepts one that exists', async () => {
    const dir = path.join(root, 'a', '.provisio', 'tls')
    await makeDirectoryDurably(dir, { mode: 0o700 })
    assert.ok(statSync(dir).isDirectory())
    if (POSIX) assert.equal(statSync(dir).mode & 0o077, 0)
    await makeDirectoryDurably(dir)
    makeDirectoryDurablySync(dir)
    makeDirectoryDurablySync(path.join(root, 'b', 'c'))
    assert.ok(statSync(path.join(root, 'b', 'c')).isDirectory())
  })
})
