/**
 * Placing a position inside a Template's Liquid text (1-based line and column of the text) in the
 * YAML file. A literal block scalar (`|`) keeps its lines as written, each after the block's
 * indentation, so a text line maps to a file line; a one-line plain or quoted scalar whose source is
 * exactly its value maps character for character. Anything else (a folded or escaped scalar)
 * points at the value, and the caller names the position inside the text.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { isScalar, type Node, Scalar } from 'yaml'
import type { LoadedDocument } from './loaded-document.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** A file position; `exact` is false when it is only the value's start. */
export interface TextPosition {
  readonly line: number
  readonly column: number
  readonly exact: boolean
}

/**
 * The file position of line `line`, column `column` of the text at `path`. `dir` is the project
 * folder, to read the block's lines from; without it a block maps to the value's start.
 */
export function templateTextPosition(
  document: LoadedDocument,
  textPath: DocumentPath,
  text: string,
  line: number,
  column: number,
  dir: string | undefined,
): TextPosition {
  const at = document.positionOf(textPath)
  const fallback = { line: at.line, column: at.column, exact: false }
  const node = document.yaml.getIn(textPath, true) as Node | undefined
  if (!isScalar(node) || node.range === undefined || node.range === null) return fallback
  if (node.type === Scalar.BLOCK_LITERAL && dir !== undefined) {
    const fileLine = fileLines(dir, document.file)?.[at.line - 1 + line]
    const textLine = text.split('\n')[line - 1]
    // The block's line is its indentation followed by the text's line, exactly.
    if (fileLine === undefined || textLine === undefined || !fileLine.replace(/\r$/, '').endsWith(textLine)) {
      return fallback
    }
    return { line: at.line + line, column: fileLine.replace(/\r$/, '').length - textLine.length + column, exact: true }
  }
  if (line !== 1 || text.includes('\n')) return fallback
  const length = node.range[1] - node.range[0]
  const shift =
    node.type === Scalar.PLAIN && length === text.length
      ? 0
      : (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) && length === text.length + 2
        ? 1
        : undefined
  return shift === undefined ? fallback : { line: at.line, column: at.column + shift + column - 1, exact: true }
}

function fileLines(dir: string, file: string): string[] | undefined {
  try {
    return readFileSync(path.join(dir, file), 'utf8').split('\n')
  } catch {
    return undefined
  }
}
