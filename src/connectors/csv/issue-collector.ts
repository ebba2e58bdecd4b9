/**
 * Collects the problems of one file so that a user sees many at once: up to a limit they are kept
 * with their positions, beyond it only counted until the reader stops. One error then reports them all.
 */
import { type Issue, isProvisioError, ProvisioError } from '../../core/index.ts'
import { csvError, type CsvErrorCode } from './csv-errors.ts'

/** Problems kept per file. */
export const DEFAULT_MAX_ISSUES = 20

/** Keeps the first issues of a file and counts the rest. */
export class IssueCollector {
  private readonly kept: Issue[] = []
  private total = 0

  constructor(private readonly maxIssues: number = DEFAULT_MAX_ISSUES) {}

  /** Problems seen so far, kept or not. */
  get count(): number {
    return this.total
  }

  /** Records one problem; `make` runs only while there is room, since positioning costs a scan. */
  add(make: () => Issue): void {
    this.total++
    if (this.kept.length < this.maxIssues) this.kept.push(make())
  }

  addAll(issues: readonly Issue[]): void {
    for (const issue of issues) this.add(() => issue)
  }

  /** Whether the limit of kept problems is reached; the reader then stops reading. */
  get isFull(): boolean {
    return this.kept.length >= this.maxIssues
  }

  /**
   * One error listing every kept problem, with the count of those not shown.
   * @param stoppedAtLine the line where reading stopped early, if it did: the count is then a minimum
   */
  toError(displayPath: string, table: string, stoppedAtLine?: number): ProvisioError {
    const [first] = this.kept
    if (first === undefined) throw new Error('IssueCollector.toError called without issues')
    const hidden = this.total - this.kept.length
    const where =
      first.line === undefined
        ? ''
        : ` line ${first.line}${first.column === undefined ? '' : `, column ${first.column}`}`
    const count = `${stoppedAtLine === undefined ? '' : 'at least '}${this.total} problems`
    const listed =
      hidden > 0 ? `the first ${this.kept.length} are listed, ${hidden} more are not shown` : 'all are listed'
    const stopped = stoppedAtLine === undefined ? '' : `, and reading stopped after line ${stoppedAtLine}`
    const message =
      this.total === 1 && stoppedAtLine === undefined
        ? `${displayPath}${where}: ${first.message}`
        : `${displayPath} has ${count} in the data of table ${table}; ${listed}${stopped}.`
    const isOneKind = this.kept.every((issue) => issue.code === first.code)
    return csvError(first.code as CsvErrorCode, message, {
      hint: isOneKind
        ? first.hint
        : 'Fix the listed problems in the file or in the export that writes it, then run again.',
      details: {
        problems: this.total,
        listed: this.kept.length,
        ...(stoppedAtLine === undefined ? {} : { stoppedAtLine }),
      },
      issues: this.kept,
    })
  }

  /** `error` with the problems collected before it appended, so that nothing found is lost. */
  merge(error: unknown): unknown {
    if (this.kept.length === 0 || !isProvisioError(error) || !error.code.startsWith('CON_CSV_')) return error
    return new ProvisioError(
      error.code,
      error.message,
      { audience: error.audience, retry: error.retry, hint: error.hint },
      { details: error.details, issues: [...error.issues, ...this.kept], cause: error.cause },
    )
  }
}
