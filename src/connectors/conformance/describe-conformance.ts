/**
 * `describeConformance(subject)`: the shared conformance suite every connector passes against a
 * real server of its kind (DESIGN.md §5). One node:test `describe` per subject; the checks run in
 * order on one fixture and one connection, the empty-table check first and the close check last.
 * A check whose capability or function the connector does not offer is skipped, saying which.
 */
import { after, before, describe } from 'node:test'
import type { ConformanceSubject } from './conformance-fixture.ts'
import { ConformanceHarness } from './conformance-harness.ts'
import { closeChecks, connectionChecks } from './connection-checks.ts'
import { definitionChecks } from './definition-checks.ts'
import { membershipChecks } from './membership-checks.ts'
import { emptyReadChecks, readChecks } from './read-checks.ts'
import { writeChecks } from './write-checks.ts'

/**
 * Declares the conformance suite for one connector on one server.
 *
 * @example
 * describeConformance({ name: 'sql on SQLite', setUp: () => sqliteFixture() })
 * describeConformance({ name: 'ldap on slapd', skip: skipReason('ldap'), setUp: () => ldapFixture(LDAP_SERVER!) })
 */
export function describeConformance(subject: ConformanceSubject): void {
  describe(`conformance: ${subject.name}`, { skip: subject.skip ?? false }, () => {
    let harness: ConformanceHarness | undefined
    let tearDown: (() => Promise<void>) | undefined
    const current = (): ConformanceHarness => {
      if (harness === undefined) throw new Error(`The fixture of ${subject.name} did not set up (see before).`)
      return harness
    }

    before(async () => {
      const fixture = await subject.setUp()
      tearDown = () => fixture.tearDown()
      harness = await ConformanceHarness.open(fixture)
    })
    after(async () => {
      await harness?.closeAll()
      await tearDown?.()
    })

    definitionChecks(current)
    connectionChecks(current)
    emptyReadChecks(current)
    writeChecks(current)
    readChecks(current)
    membershipChecks(current)
    closeChecks(current)
  })
}
