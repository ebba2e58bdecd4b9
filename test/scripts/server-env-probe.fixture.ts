/**
 * Run by test-script.test.ts through `scripts/test.sh <this file>`: records the PROVISIO_TEST_*
 * variables the tests see and the pid of the slapd they point at, then fails on purpose, so that the
 * caller can check that servers are stopped also after a failing run.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { it } from 'node:test'

it('records the test servers and fails', () => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('PROVISIO_TEST_')))
  const ca = env['PROVISIO_TEST_LDAP_CA']
  const slapdPid = ca === undefined ? undefined : readFileSync(path.join(path.dirname(ca), 'slapd.pid'), 'utf8').trim()
  writeFileSync(process.env['PROBE_OUT']!, JSON.stringify({ env, slapdPid }))
  throw new Error('fails on purpose')
})
