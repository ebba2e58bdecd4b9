/**
 * Placing a position inside a Template's Liquid text (1-based line and column of the text) in the
 * YAML the Template is written in: its project file, or a text typed in an editor (an unsaved
 * document is in no file). A literal block scalar (`|`) keeps its lines as written, each after the
 * block's indentation, so a text line maps to a YAML line; a one-line plain or quoted scalar whose
 * source is exactly its value maps character for character. Anything else (a folded or escaped
 * scalar) points at the value, and the caller names the position inside the text.
 */
import { isScalar, type Node, Scalar } from 'yaml'
import type { LoadedDocument } from './loaded-document.ts'
import { type ProjectOverlay, projectFileTextSync } from './project-files.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** A position in the YAML; `exact` is false when it is only the value's start. */
export interface TextPosition {
  readonly line: number
  readonly column: number
  readonly exact: boolean
}

/**
 * The YAML position of line `line`, column `column` of the text at `textPath`. `yaml` is the whole
 * text the document's positions count in (its file's, or the typed text); without it a block maps
 * to the value's start.
 */
export function templateTextPosition(
  document: LoadedDocument,
  textPath: DocumentPath,
  text: string,
  line: number,
  column: number,
  yaml: string | undefined,
): TextPosition {
  const at = document.positionOf(textPath)
  const fallback = { line: at.line, column: at.column, exact: false }
  const node = document.yaml.getIn(textPath, true) as Node | undefined
  if (!isScalar(node) || node.range === undefined || node.range === null) return fallback
  if (node.type === Scalar.BLOCK_LITERAL && yaml !== undefined) {
    const yamlLine = yaml.split('\n')[at.line - 1 + line]?.replace(/\r$/, '')
    const textLine = text.split('\n')[line - 1]
    // The block's line is its indentation followed by the text's line, exactly.
    if (yamlLine === undefined || textLine === undefined || !yamlLine.endsWith(textLine)) return fallback
    return { line: at.line + line, column: yamlLine.length - textLine.length + column, exact: true }
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

/**
 * The text of `file` (relative to the project folder `dir`, as an edit in `files` leaves it), or
 * undefined when it cannot be read.
 */
export function projectFileText(dir: string | undefined, file: string, files?: ProjectOverlay): string | undefined {
  return dir === undefined ? undefined : projectFileTextSync(dir, file, files)
}
