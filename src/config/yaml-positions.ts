/**
 * Maps a path inside a parsed YAML document (`['tables', 'employees', 'primaryKey']`) back to a
 * line and column, so that every issue points at the text the user wrote. Validation works on the
 * plain value; only this module looks at yaml's node tree.
 */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml'

/** A 1-based position in a file. */
export interface Position {
  readonly line: number
  readonly column: number
}

/** A path inside a document: mapping keys and list indexes. */
export type DocumentPath = readonly (string | number)[]

/** Options of {@link positionIn}. */
export interface PositionOptions {
  /**
   * Point at the key of the last path segment instead of its value: right for an unknown or
   * misspelt key, where the key is what is wrong.
   * @default 'value'
   */
  readonly at?: 'key' | 'value'
}

interface Located {
  readonly node: Node
  /** The key node when the last segment found was a mapping key. */
  readonly key: Node | undefined
  /** How many segments of the path exist in the document. */
  readonly depth: number
}

/** Walks `path` as far as the document goes and returns the deepest node that exists. */
function locate(root: Node, path: DocumentPath): Located {
  let node = root
  let key: Node | undefined
  let depth = 0
  for (const segment of path) {
    const next = child(node, segment)
    if (next === undefined) break
    node = next.value
    key = next.key
    depth += 1
  }
  return { node, key, depth }
}

function child(node: Node, segment: string | number): { value: Node; key: Node | undefined } | undefined {
  if (isMap(node)) {
    // Keys compare as text: the plain value stringifies keys (`1:` becomes "1") and so do zod's paths.
    const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment))
    if (pair === undefined) return undefined
    const keyNode = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? (pair.key as Node) : undefined
    // `key:` with nothing after it has no value node; the key is then the best place to point at.
    const valueNode = pair.value as Node | null
    if (valueNode === null || valueNode.range === undefined || valueNode.range === null) {
      return keyNode === undefined ? undefined : { value: keyNode, key: keyNode }
    }
    return { value: valueNode, key: keyNode }
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | null | undefined
    return item === undefined || item === null ? undefined : { value: item, key: undefined }
  }
  return undefined
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value)
  return undefined
}

/**
 * The position of the deepest node of `document` on `path`. A path that leaves the document (a
 * missing key) points at the closest enclosing node that exists; `{ at: 'key' }` points at the key
 * of the last segment when that segment exists.
 */
export function positionIn(
  document: Document.Parsed,
  lineCounter: LineCounter,
  path: DocumentPath,
  options: PositionOptions = {},
): Position {
  const root = document.contents as Node | null
  if (root === null || root.range === undefined || root.range === null) {
    return toPosition(lineCounter, document.range[0])
  }
  const found = locate(root, path)
  const useKey = options.at === 'key' && found.depth === path.length && found.key !== undefined
  const target = useKey ? found.key : found.node
  return toPosition(lineCounter, target?.range?.[0] ?? document.range[0])
}

/** Turns an offset into a 1-based line and column. */
export function toPosition(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(offset)
  return { line, column: col }
}
