/**
 * Where a problem at line/column of a Template's Liquid text (its subject, text or html) is in what
 * the user sees: in the YAML text typed in the editor (an unsaved preview: positions count from its
 * first line), or in the project file the saved Template is in. The mapping is config's
 * (template-positions.ts), from the YAML text at hand rather than a file read: an unsaved text is in
 * no file. A literal block (`|`) keeps its lines, each after the block's indentation; a one-line plain
 * or quoted scalar whose source is exactly its value maps character for character; anything else
 * points at the value's start (`exact: false`).
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { type Node, Scalar, isScalar } from 'yaml'
import { type LoadedDocument, type TemplateConfig, parseDocuments } from '../../config/index.ts'

/** The three Liquid texts of a Template. */
export type TemplatePart = 'subject' | 'text' | 'html'

export interface PlacedPosition {
  readonly line: number
  readonly column: number
  /** The project file (a saved Template); absent: the position is in the sent text. */
  readonly file?: string | undefined
  /** False when only the value's start is known (a folded or escaped scalar). */
  readonly exact: boolean
}

/** Maps line/column of one part's text to where the user sees it. */
export type PlacePosition = (part: TemplatePart, text: string, line: number, column: number) => PlacedPosition

/** Positions in the project file of a saved Template (`dir`: the project folder). */
export async function filePlacement(template: TemplateConfig, dir: string): Promise<PlacePosition> {
  const fileText = await readFile(path.join(dir, ...template.file.split('/')), 'utf8').catch(() => '')
  const lines = fileText.replace(/\r\n/g, '\n').split('\n')
  return (part, text, line, column) => ({
    ...positionIn(template.document, lines, part, text, line, column),
    file: template.file,
  })
}

/** Positions in `source`, the YAML text of one Template document as typed (line 1 is its first line). */
export function sourcePlacement(source: string): PlacePosition {
  const [document] = parseDocuments(source, 'source').documents
  const lines = source.replace(/\r\n/g, '\n').split('\n')
  return (part, text, line, column) =>
    document === undefined
      ? { line: 1, column: 1, exact: false }
      : positionIn(document, lines, part, text, line, column)
}

/** Line/column of the text at `part` in the YAML whose lines are `lines` (those of the document's file). */
function positionIn(
  document: LoadedDocument,
  lines: readonly string[],
  part: TemplatePart,
  text: string,
  line: number,
  column: number,
): PlacedPosition {
  const at = document.positionOf([part])
  const fallback = { line: at.line, column: at.column, exact: false }
  const node = document.yaml.getIn([part], true) as Node | undefined
  if (!isScalar(node) || node.range === undefined || node.range === null) return fallback
  if (node.type === Scalar.BLOCK_LITERAL) {
    // The value's position is the indicator's line: text line N is N lines below it.
    const yamlLine = lines[at.line - 1 + line]
    const textLine = text.split('\n')[line - 1]
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
