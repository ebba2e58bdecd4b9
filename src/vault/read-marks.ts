/**
 * What a read says about itself besides its rows: whether its pages are a delta (only the rows
 * changed since a watermark, so rows not among them are kept) and the watermark a later read may
 * start from. Followed page by page as the rows stream past, so every staging path sees the same.
 */
import { vaultError } from './errors.ts'
import type { StagePage } from './staging.ts'
import type { VaultTable } from './vault-table.ts'

export class ReadMarks {
  private pages = 0
  private isDelta = false
  private mark: string | undefined

  /** `since`: the watermark the read was asked to start from, if any. */
  constructor(
    private readonly table: VaultTable,
    private readonly since: string | undefined,
  ) {}

  /** Whether the pages were a delta; known once the first page has passed. */
  get delta(): boolean {
    return this.isDelta
  }

  /** The watermark of the last page that carried one. */
  get watermark(): string | undefined {
    return this.mark
  }

  async *follow(pages: AsyncIterable<StagePage>): AsyncGenerator<StagePage> {
    const qualified = `${this.table.system}.${this.table.name}`
    for await (const page of pages) {
      const delta = page.delta === true
      if (this.pages === 0) {
        this.isDelta = delta
        // Without a key, a changed row is a new row and its old version must go: a delta, which
        // cannot say what went, would leave both.
        if (delta && this.table.primaryKey === undefined) {
          throw vaultError(
            'VLT_READ_FAILED',
            `The read of ${qualified} returned only changed rows, but the table has no primary key, so changes cannot be told from additions; the vault was not changed.`,
            { hint: 'Collect the table in full (without --incremental), or declare a primary key.' },
          )
        }
      } else if (delta !== this.isDelta) {
        throw vaultError(
          'VLT_READ_FAILED',
          `The read of ${qualified} mixed pages of changed rows with pages of all rows; the vault was not changed.`,
          {
            hint: 'This is a fault of the connector: collect the table in full (without --incremental) and report it.',
          },
        )
      }
      this.pages++
      if (page.watermark !== undefined) this.mark = page.watermark
      yield page
    }
    // A delta yields at least one page, possibly empty. No page at all after asking for changes
    // could be an empty table or nothing changed: taken as a full read it would remove every row.
    if (this.pages === 0 && this.since !== undefined) {
      throw vaultError(
        'VLT_READ_FAILED',
        `The incremental read of ${qualified} returned nothing at all, not even an empty page of changes, so it cannot tell an empty table from an unchanged one; the vault was not changed.`,
        { hint: 'Collect the table in full (without --incremental); if the connector keeps doing this, report it.' },
      )
    }
  }
}
