/**
 * The shared connector conformance suite (DESIGN.md §5, STYLE.md C9): a connector's test file calls
 * `describeConformance` with a subject whose fixture lives on a real server of the connector's kind,
 * and the suite checks the contract's promises: strict config, pure functions, check with good and
 * wrong credentials, discover, reads (empty, round trip, paging, incremental), lookup, create,
 * update, delete, duplicates, memberships, well-formed CON_ errors without secrets, and close.
 * See README.md for adding a connector's subject.
 */
export { describeConformance } from './describe-conformance.ts'
export type {
  AccountsFixture,
  ConformanceFixture,
  ConformanceSubject,
  MembershipsFixture,
  SystemSettings,
} from './conformance-fixture.ts'
export { HOSTILE_TEXTS, hostileText } from './hostile-values.ts'
