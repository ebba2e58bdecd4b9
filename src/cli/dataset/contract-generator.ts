/**
 * Contract histories. Each career (see workforce.ts) becomes one to three contracts with dates
 * relative to the reference date, so the committed demo data keeps its meaning: leavers ended in the
 * past, future starters begin after it, transfers ended in one unit and started the next day in
 * another. The main contract is always in the employee's primary unit, so their manager (found
 * through that unit) matches their current or last job.
 */
import { DAYS_PER_YEAR } from './calendar.ts'
import type { Organisation } from './organisation.ts'
import { type Random, pickWeighted } from './random.ts'
import type { Career } from './workforce.ts'

/** The contract types of contracts.csv. */
export type ContractType = 'permanent' | 'temporary' | 'intern' | 'external'

/** One contract before it is formatted. Days are day numbers; `end` is -1 for open-ended. */
export interface Contract {
  readonly department: number
  readonly start: number
  readonly end: number
  /** Full-time equivalent in hundredths: 100 is full time. */
  readonly fte: number
  readonly type: ContractType
  readonly jobTitle: string
}

/** What the contract generator needs to know about one employee. */
export interface ContractRequest {
  readonly career: Career
  /** Department the main contract is in. */
  readonly department: number
  /** Position of that department in `org.units`, or -1 for heads of a root or division. */
  readonly unit: number
  /** Title of the main contract when the role decides it (heads and team leads). */
  readonly mainTitle: string | undefined
}

/** How far back the company's history reaches from the reference date. */
const HISTORY_DAYS = Math.round(28 * DAYS_PER_YEAR)
const PERMANENT_FTE = [
  100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 90, 80, 80, 80, 75, 60, 50, 50, 40, 20,
]

/** Draws the contracts of one employee, in chronological order. */
export class ContractGenerator {
  constructor(
    private readonly org: Organisation,
    private readonly referenceDay: number,
  ) {}

  generate(request: ContractRequest, rng: Random): Contract[] {
    const ref = this.referenceDay
    const main = request.department
    const c = (
      department: number,
      start: number,
      end: number,
      fte: number,
      type: ContractType,
      title?: string,
    ): Contract => ({
      department,
      start,
      end,
      fte,
      type,
      jobTitle: title ?? this.titleFor(department, type, rng),
    })
    const mainTitle = request.mainTitle
    switch (request.career) {
      case 'head': {
        const before = rng.chance(0.25) ? rng.between(365, 2500) : 0
        const start = this.pastStart(rng, before + 366, false)
        if (before === 0) return [c(main, start, -1, 100, 'permanent', mainTitle)]
        const other = this.otherDepartment(request.unit, rng)
        return [
          c(other, start, start + before - 1, 100, 'permanent'),
          c(main, start + before, -1, 100, 'permanent', mainTitle),
        ]
      }
      case 'plain':
        return [this.plainContract(main, mainTitle, rng, c)]
      case 'intern-hired': {
        const internship = rng.between(120, 180)
        const gap = rng.between(0, 90)
        const start = this.pastStart(rng, internship + gap + 1)
        const place = rng.chance(0.6) ? main : this.otherDepartment(request.unit, rng)
        const hired = start + internship + gap
        return [
          c(place, start, start + internship - 1, 100, 'intern'),
          c(main, hired, -1, rng.pick(PERMANENT_FTE), 'permanent', mainTitle),
        ]
      }
      case 'renewal': {
        const temporary = rng.between(180, 730)
        const start = this.pastStart(rng, temporary + 1)
        const fte = rng.pick(PERMANENT_FTE)
        return [
          c(main, start, start + temporary - 1, fte, 'temporary'),
          c(main, start + temporary, -1, fte, 'permanent', mainTitle),
        ]
      }
      case 'transfer':
        return this.transfer(request, rng, c)
      case 'concurrent':
        return this.concurrent(request, rng, c)
      case 'leaver':
        return this.leaver(main, rng, c)
      case 'future': {
        const start = ref + rng.between(1, 150)
        const r = rng.float()
        if (r < 0.65) return [c(main, start, -1, rng.pick(PERMANENT_FTE), 'permanent', mainTitle)]
        if (r < 0.85) return [c(main, start, start + rng.between(180, 365), 100, 'temporary', mainTitle)]
        return [c(main, start, start + rng.between(120, 180), 100, 'intern')]
      }
    }
  }

  private plainContract(main: number, mainTitle: string | undefined, rng: Random, c: MakeContract): Contract {
    const ref = this.referenceDay
    const r = rng.float()
    if (r < 0.84) return c(main, this.pastStart(rng, 0), -1, rng.pick(PERMANENT_FTE), 'permanent', mainTitle)
    if (r < 0.92)
      return c(
        main,
        ref - rng.between(0, 365),
        ref + rng.between(14, 365),
        rng.pick(PERMANENT_FTE),
        'temporary',
        mainTitle,
      )
    if (r < 0.97) {
      const end = rng.chance(0.5) ? -1 : ref + rng.between(30, 365)
      return c(main, ref - rng.between(30, 1500), end, rng.pick([100, 100, 80, 60, 40]), 'external', mainTitle)
    }
    const start = ref - rng.between(0, 150)
    return c(main, start, Math.max(start + rng.between(150, 180), ref + 14), 100, 'intern')
  }

  /** One or two ended contracts in other units, then the current one in the primary unit. */
  private transfer(request: ContractRequest, rng: Random, c: MakeContract): Contract[] {
    const last = rng.between(180, 2500)
    const earlier = rng.chance(0.2) ? rng.between(180, 1500) : 0
    let start = this.pastStart(rng, earlier + last + 1)
    const contracts: Contract[] = []
    if (earlier > 0) {
      contracts.push(c(this.otherDepartment(request.unit, rng), start, start + earlier - 1, 100, 'permanent'))
      start += earlier
    }
    const fte = rng.pick(PERMANENT_FTE)
    contracts.push(c(this.otherDepartment(request.unit, rng), start, start + last - 1, fte, 'permanent'))
    contracts.push(c(request.department, start + last, -1, fte, 'permanent', request.mainTitle))
    return contracts
  }

  /** A main part-time contract plus one or two more in other units, all current. */
  private concurrent(request: ContractRequest, rng: Random, c: MakeContract): Contract[] {
    const ref = this.referenceDay
    const mainFte = rng.pick([50, 60, 60, 70, 80])
    const start = this.pastStart(rng, 30)
    const contracts = [c(request.department, start, -1, mainFte, 'permanent', request.mainTitle)]
    const secondFte = rng.pick([10, 20, 20, 30, 40, 50].filter((f) => f <= 100 - mainFte))
    const secondEnd = rng.chance(0.4) ? ref + rng.between(30, 365) : -1
    // A temporary side job is recent; a permanent one may go back to any time after the main contract.
    const second = secondEnd === -1 ? start + rng.int(ref - start + 1) : Math.max(start, ref - rng.between(0, 700))
    const secondDept = this.otherDepartment(request.unit, rng)
    contracts.push(c(secondDept, second, secondEnd, secondFte, secondEnd === -1 ? 'permanent' : 'temporary'))
    if (mainFte + secondFte < 100 && rng.chance(0.15)) {
      let third = this.otherDepartment(request.unit, rng)
      if (third === secondDept) third = this.otherDepartment(request.unit, rng)
      if (third !== secondDept)
        contracts.push(c(third, second + rng.int(ref - second + 1), -1, 100 - mainFte - secondFte, 'external'))
    }
    return contracts.sort((a, b) => a.start - b.start)
  }

  /** Contracts that all ended before the reference date. */
  private leaver(main: number, rng: Random, c: MakeContract): Contract[] {
    const r = rng.float()
    const type: ContractType = r < 0.7 ? 'permanent' : r < 0.85 ? 'temporary' : r < 0.95 ? 'external' : 'intern'
    const duration = type === 'intern' ? rng.between(120, 180) : rng.between(90, 3000)
    const before = type === 'permanent' && rng.chance(0.35) ? rng.between(180, 730) : 0
    const start = this.pastStart(rng, before + duration + 1)
    const fte = type === 'intern' ? 100 : rng.pick(PERMANENT_FTE)
    const last = c(main, start + before, start + before + duration - 1, fte, type)
    return before === 0 ? [last] : [c(main, start, start + before - 1, fte, 'temporary'), last]
  }

  /**
   * A start day at least `reserve` days before the reference date and within the company's history,
   * by default skewed towards recent years: a growing company has more short tenures than long ones.
   * Heads are drawn evenly: managers tend to have been around longer.
   */
  private pastStart(rng: Random, reserve: number, isSkewed = true): number {
    const u = rng.float()
    return this.referenceDay - reserve - Math.floor((isSkewed ? u * u : u) * (HISTORY_DAYS - reserve))
  }

  /** A unit other than the given one, drawn by size. */
  private otherDepartment(unit: number, rng: Random): number {
    const units = this.org.units
    let other = pickWeighted(this.org.unitWeights, rng.float())
    if (other === unit) other = (other + 1) % units.length
    return units[other] as number
  }

  private titleFor(department: number, type: ContractType, rng: Random): string {
    const dept = this.org.departments[department]
    if (dept === undefined) throw new Error(`No department ${department}.`)
    if (type === 'intern') return `Intern ${dept.name}`
    return dept.titles.length > 0 ? rng.pick(dept.titles) : 'Management Assistant'
  }
}

type MakeContract = (
  department: number,
  start: number,
  end: number,
  fte: number,
  type: ContractType,
  title?: string,
) => Contract

/** Formats a full-time equivalent in hundredths with a decimal comma: 100 → "1", 80 → "0,8", 75 → "0,75". */
export function formatFte(hundredths: number): string {
  const whole = Math.floor(hundredths / 100)
  const fraction = String(hundredths % 100)
    .padStart(2, '0')
    .replace(/0+$/, '')
  return fraction === '' ? String(whole) : `${whole},${fraction}`
}
