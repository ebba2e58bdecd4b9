/**
 * Turns yaml's parse errors and warnings into positioned issues. Duplicate keys get their own code
 * and name the key and where it first appeared, because yaml itself only says "Map keys must be unique".
 */
import { type Document, isMap, isScalar, type LineCounter, visit, type YAMLError } from 'yaml'
import type { Issue } from '../core/index.ts'
import { fileIssue } from './issues.ts'
import { toPosition } from './yaml-positions.ts'

interface Duplicate {
  readonly key: string
  readonly firstOffset: number
}

/** The issues of one parsed document: its errors, then its warnings. */
export function yamlIssues(document: Document.Parsed, lineCounter: LineCounter, file: string, text: string): Issue[] {
  const duplicates = findDuplicateKeys(document)
  const toIssue = (error: YAMLError, severity: 'error' | 'warning'): Issue => {
    const { line, column } = toPosition(lineCounter, error.pos[0])
    const duplicate = error.code === 'DUPLICATE_KEY' ? duplicates.get(error.pos[0]) : undefined
    if (duplicate !== undefined) {
      const first = toPosition(lineCounter, duplicate.firstOffset)
      return fileIssue(
        'CFG_DUPLICATE_KEY',
        `Key '${duplicate.key}' appears twice in the same mapping; the first is at line ${first.line}, column ${first.column}.`,
        { file, line, column },
      )
    }
    if (error.code === 'DUPLICATE_KEY') {
      return fileIssue('CFG_DUPLICATE_KEY', 'A key appears twice in the same mapping.', { file, line, column })
    }
    const message = `${sentence(error.message)} (${error.code})`
    const hint = flowBracketHint(text, lineCounter, error.pos[0])
    return fileIssue(
      'CFG_YAML_SYNTAX',
      message,
      { file, line, column },
      {
        ...(severity === 'warning' ? { severity } : {}),
        ...(hint === undefined ? {} : { hint }),
      },
    )
  }
  // After the first syntax error the parser is out of step and each following token is "unexpected";
  // those follow-on errors are noise, so only the first is reported. Duplicate keys are independent.
  const firstSyntax = document.errors.find((e) => e.code !== 'DUPLICATE_KEY')
  const errors = document.errors.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstSyntax)
  return [...errors.map((e) => toIssue(e, 'error')), ...document.warnings.map((w) => toIssue(w, 'warning'))]
}

/** Whether the document's value can be trusted despite its errors: duplicate keys alone leave it well defined. */
export function isUsable(document: Document.Parsed): boolean {
  return document.errors.every((e) => e.code === 'DUPLICATE_KEY')
}

/** Every repeated mapping key, by the offset of the repetition. */
function findDuplicateKeys(document: Document.Parsed): Map<number, Duplicate> {
  const found = new Map<number, Duplicate>()
  visit(document, {
    Map(_key, map) {
      if (!isMap(map)) return
      const seen = new Map<string, number>()
      for (const pair of map.items) {
        const key = pair.key
        if (!isScalar(key) || key.range === undefined || key.range === null) continue
        const text = String(key.value)
        const first = seen.get(text)
        if (first === undefined) seen.set(text, key.range[0])
        else found.set(key.range[0], { key: text, firstOffset: first })
      }
    },
  })
  return found
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return trimmed.endsWith('.') ? trimmed.slice(0, -1) : trimmed
}

/**
 * `{ type: string[] }` is the most likely syntax error in a System document: inside a flow mapping
 * `[` opens a list. Say so, instead of yaml's generic "unexpected flow-seq-start".
 */
function flowBracketHint(text: string, lineCounter: LineCounter, offset: number): string | undefined {
  const { line } = toPosition(lineCounter, offset)
  const start = lineCounter.lineStarts[line - 1] ?? 0
  const end = lineCounter.lineStarts[line] ?? text.length
  const source = text.slice(start, end)
  if (!/\{[^}]*[^'"\w]string\[\]/.test(source)) return undefined
  return "Inside `{ … }` a `[` starts a list: quote the type as 'string[]', or write the column on its own lines."
}
