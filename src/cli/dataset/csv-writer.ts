/**
 * Writes CSV the way Excel and many HR systems export it: UTF-8 with a byte order mark, CRLF line
 * endings, a header row, a configurable delimiter, and fields quoted only when they must be (they
 * contain the delimiter, a quote, CR or LF), with embedded quotes doubled (RFC 4180 §2).
 *
 * Rows are encoded into chunks of 1 MiB, and full chunks are written with awaited writes whenever
 * the caller asks ({@link CsvWriter.flushIfFull}), so memory stays bounded however many rows pass. The file appears under its final name only once it
 * is complete: a reader never sees half an export.
 */
import { type FileHandle, open, rename, rm } from 'node:fs/promises'

/** Options of {@link CsvWriter.open}. */
export interface CsvWriterOptions {
  /** @default ';' */
  readonly delimiter?: string
  /** Bytes gathered before a write to the file. @default 1048576 */
  readonly chunkSize?: number
}

const BOM = '\uFEFF'
const CRLF = '\r\n'

/** Streams rows into one CSV file. */
export class CsvWriter {
  /** The chunk being filled: rows are encoded straight into it, so no large strings pile up for the GC. */
  private chunk: Buffer
  private used = 0
  /** Full chunks waiting for {@link flushIfFull}. */
  private readonly full: Buffer[] = []
  private rowCount = 0
  private readonly needsQuotes: RegExp

  private constructor(
    private readonly file: FileHandle,
    private readonly tempPath: string,
    /** Where the finished file is placed. */
    readonly path: string,
    private readonly delimiter: string,
    private readonly chunkSize: number,
  ) {
    this.chunk = Buffer.allocUnsafe(chunkSize)
    this.needsQuotes = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`)
  }

  /** Creates the file (under a temporary name until {@link close}) and writes the BOM and header row. */
  static async open(path: string, header: readonly string[], options: CsvWriterOptions = {}): Promise<CsvWriter> {
    const tempPath = `${path}.partial`
    const file = await open(tempPath, 'w')
    const writer = new CsvWriter(file, tempPath, path, options.delimiter ?? ';', options.chunkSize ?? 1 << 20)
    writer.append(BOM)
    writer.writeLine(header)
    return writer
  }

  /** Data rows written so far, header excluded. */
  get rows(): number {
    return this.rowCount
  }

  /** Adds one data row; an empty string is an empty cell. Call {@link flushIfFull} now and then. */
  writeRow(fields: readonly string[]): void {
    this.writeLine(fields)
    this.rowCount++
  }

  /** Writes the chunks that are full to the file. */
  async flushIfFull(): Promise<void> {
    for (let chunk = this.full.shift(); chunk !== undefined; chunk = this.full.shift()) await this.writeFully(chunk)
  }

  /** Writes what is left and moves the file to its final name. */
  async close(): Promise<void> {
    await this.flushIfFull()
    await this.writeFully(this.chunk.subarray(0, this.used))
    this.used = 0
    await this.file.close()
    await rename(this.tempPath, this.path)
  }

  /** Closes and removes the unfinished file, after a failure elsewhere. */
  async abort(): Promise<void> {
    await this.file.close().catch(() => undefined)
    await rm(this.tempPath, { force: true })
  }

  private writeLine(fields: readonly string[]): void {
    let line = ''
    for (let k = 0; k < fields.length; k++) {
      if (k > 0) line += this.delimiter
      line += this.field(fields[k] as string)
    }
    this.append(line + CRLF)
  }

  private field(value: string): string {
    return this.needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value
  }

  private append(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; a chunk never splits a line.
    const worstCase = text.length * 3
    if (this.used + worstCase > this.chunk.length) {
      if (this.used > 0) this.full.push(this.chunk.subarray(0, this.used))
      this.chunk = Buffer.allocUnsafe(Math.max(this.chunkSize, worstCase))
      this.used = 0
    }
    this.used += this.chunk.write(text, this.used, 'utf8')
  }

  private async writeFully(bytes: Buffer): Promise<void> {
    // A write may take fewer bytes than offered; keep going until the chunk is on disk.
    for (let offset = 0; offset < bytes.length;) {
      const { bytesWritten } = await this.file.write(bytes, offset, bytes.length - offset, null)
      offset += bytesWritten
    }
  }
}
