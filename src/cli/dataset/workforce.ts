/**
 * Who works where and who reports to whom, answerable per employee index so the generator can
 * stream a million employees. A career (leaver, transfer, concurrent contracts…) and a primary unit
 * are pure functions of (seed, index): a seeded permutation spreads the indices evenly over [0, 1),
 * so the shares of careers and the sizes of units come out as planned even for 585 employees,
 * where independent draws would stray by a third. A cheap first pass counts the active people per unit; then,
 * while streaming, each active person takes the next position in their unit and reports to the
 * position above in an n-ary tree rooted at the unit's head. Managers therefore always have a lower
 * index than their reports, so the hierarchy can never contain a cycle.
 */
import { type HeadSlot, type Organisation, headOf } from './organisation.ts'
import { type Permutation, createPermutation } from './permutation.ts'
import { type Random, hash3, pickWeighted } from './random.ts'

/** The shape of one employee's contract history. */
export type Career =
  /** Holds a head slot: board member, director or unit manager. */
  | 'head'
  /** One current contract. */
  | 'plain'
  /** An internship, then a permanent contract. */
  | 'intern-hired'
  /** A temporary contract that ended, then a permanent one in the same unit. */
  | 'renewal'
  /** A contract in another unit that ended, then one in the primary unit. */
  | 'transfer'
  /** Two or three contracts at once, in different units. */
  | 'concurrent'
  /** Every contract ended before the reference date. */
  | 'leaver'
  /** The first contract starts after the reference date. */
  | 'future'

/** Share of the non-head employees per career, in draw order; the rest are 'plain'. */
const CAREER_SHARES: readonly (readonly [Career, number])[] = [
  ['leaver', 0.06],
  ['future', 0.03],
  ['concurrent', 0.055],
  ['transfer', 0.09],
  ['renewal', 0.12],
  ['intern-hired', 0.04],
]

const STREAM_CAREER = 0xca7
const STREAM_UNIT = 0x0417
const STREAM_SPAN = 0x59a

/** Where an employee sits in the hierarchy. */
export interface Placement {
  /** Index of the manager; -1 for the board. */
  readonly manager: number
  /** True when people in the unit report to this employee. */
  readonly isTeamLead: boolean
}

/** Whether people with this career currently work for the company. */
export function isActive(career: Career): boolean {
  return career !== 'leaver' && career !== 'future'
}

/** Careers, primary units and the reporting lines of one dataset. */
export class Workforce {
  private readonly slotCount: number
  private readonly regularCount: number
  private readonly careerOrder: Permutation
  private readonly unitOrder: Permutation
  private readonly spans: Int32Array
  private readonly nextPosition: Int32Array
  /** Per unit, the employee at each position that has reports (position 0 is the unit's head). */
  private readonly leads: Int32Array[]

  constructor(
    private readonly org: Organisation,
    employees: number,
    seed: number,
  ) {
    this.slotCount = Math.min(employees, org.slots.length)
    this.regularCount = employees - this.slotCount
    this.careerOrder = createPermutation(Math.max(1, this.regularCount), hash3(seed, STREAM_CAREER, 0))
    this.unitOrder = createPermutation(Math.max(1, this.regularCount), hash3(seed, STREAM_UNIT, 0))
    const units = org.units.length
    const active = new Int32Array(units)
    for (let i = this.slotCount; i < employees; i++) {
      if (!isActive(this.careerOf(i))) continue
      const unit = this.unitOf(i)
      active[unit] = (active[unit] ?? 0) + 1
    }
    this.spans = Int32Array.from({ length: units }, (_, u) => 6 + (hash3(seed, STREAM_SPAN, u) % 5))
    this.nextPosition = new Int32Array(units).fill(1)
    this.leads = Array.from({ length: units }, (_, u) => {
      const count = active[u] as number
      const leadPositions = count > 0 ? Math.floor((count - 1) / (this.spans[u] as number)) : 0
      const leads = new Int32Array(leadPositions + 1).fill(-1)
      leads[0] = headOf(org, org.units[u] as number, employees)
      return leads
    })
  }

  /** The career of employee i. */
  careerOf(i: number): Career {
    if (i < this.slotCount) return 'head'
    let u = this.spread(this.careerOrder, i)
    for (const [career, share] of CAREER_SHARES) {
      if (u < share) return career
      u -= share
    }
    return 'plain'
  }

  /** Position in `org.units` of the unit employee i (not a head) mainly works in. */
  unitOf(i: number): number {
    return pickWeighted(this.org.unitWeights, this.spread(this.unitOrder, i))
  }

  /** Regular employee i's evenly spread place in [0, 1). */
  private spread(order: Permutation, i: number): number {
    return (order(i - this.slotCount) + 0.5) / this.regularCount
  }

  /** True when employee i holds a head slot rather than a place in a unit. */
  isHead(i: number): boolean {
    return i < this.slotCount
  }

  /**
   * Places employee i in the hierarchy. Must be called once per regular employee, in index order:
   * positions are handed out as people arrive.
   */
  place(i: number, career: Career, unit: number, rng: Random): Placement {
    if (i < this.slotCount) return { manager: (this.org.slots[i] as HeadSlot).managerSlot, isTeamLead: false }
    const leads = this.leads[unit] as Int32Array
    const position = this.nextPosition[unit] as number
    if (!isActive(career)) {
      // Leavers and future starters keep the manager of their (last or coming) team but manage no one.
      const filled = Math.min(position, leads.length)
      return { manager: leads[rng.int(filled)] as number, isTeamLead: false }
    }
    this.nextPosition[unit] = position + 1
    const manager = leads[Math.floor((position - 1) / (this.spans[unit] as number))] as number
    const isTeamLead = position < leads.length
    if (isTeamLead) leads[position] = i
    return { manager, isTeamLead }
  }
}
