/**
 * Checks of a Template document: a body is given, every text is valid Liquid of the Template
 * dialect (template-syntax.ts), and every `{% filter_table %}` names a filter of the project with
 * parameters it declares, of their types.
 */
import { closestMatch } from '../core/index.ts'
import { resolveDocument } from './document-references.ts'
import type { TemplateConfig, TemplateText } from './event-action-model.ts'
import type { FilterConfig } from './filter-model.ts'
import { parseDefault } from './filter-parameters.ts'
import type { Findings } from './filter-references.ts'
import { issueAt } from './issues.ts'
import type { TemplateDocument } from './template-schema.ts'
import {
  createTemplateEngine,
  type FilterTableUse,
  templateErrorPosition,
  templateFilterTables,
} from './template-syntax.ts'
import { projectFileText, templateTextPosition } from './template-positions.ts'

const TEXT_KEYS = ['subject', 'text', 'html'] as const

// Parsing only: no renderers, and one engine for every template (a parse keeps no state between texts).
const engine = createTemplateEngine()

/** Checks a schema-valid Template document; returns the resolved template when it has no errors. */
export function checkTemplate(findings: Findings, template: TemplateDocument): TemplateConfig | undefined {
  const { document } = findings
  if (template.text === undefined && template.html === undefined) {
    findings.add(
      issueAt(document, 'CFG_MISSING_KEY', 'A template needs a body: `text`, `html` or both.', ['text'], {
        anchor: ['subject'],
        hint: 'Add `text: |` with the plain-text body, `html: |` with the HTML body, or both.',
      }),
    )
  }
  const filters: string[] = []
  for (const key of TEXT_KEYS) {
    const text = template[key]
    if (text === undefined) continue
    for (const use of filterTablesOf(findings, key, text)) {
      const filter = checkFilterTable(findings, key, text, use)
      if (filter !== undefined && !filters.includes(filter.name)) filters.push(filter.name)
    }
  }
  if (!findings.isResolvable) return undefined
  const textAt = (key: (typeof TEXT_KEYS)[number]): TemplateText | undefined => {
    const text = template[key]
    return text === undefined ? undefined : { text, path: [key] }
  }
  return {
    name: template.name,
    ...(template.description === undefined ? {} : { description: template.description }),
    file: document.file,
    document,
    subject: { text: template.subject, path: ['subject'] },
    ...(template.text === undefined ? {} : { text: textAt('text') }),
    ...(template.html === undefined ? {} : { html: textAt('html') }),
    filters,
  }
}

/** The text's `{% filter_table %}` uses; a Liquid syntax error is reported and yields none. */
function filterTablesOf(findings: Findings, key: string, text: string): FilterTableUse[] {
  try {
    return templateFilterTables(engine, text)
  } catch (error) {
    const { message, line, column } = templateErrorPosition(error)
    const at =
      line === undefined || column === undefined
        ? undefined
        : templateTextPosition(findings.document, [key], text, line, column, fileText(findings))
    const where = at?.exact === false ? ` (template line ${String(line)}, column ${String(column)})` : ''
    findings.add({
      ...issueAt(findings.document, 'CFG_TEMPLATE_SYNTAX', `\`${key}\` is not valid Liquid: ${message}${where}.`, [
        key,
      ]),
      ...(at === undefined ? {} : { line: at.line, column: at.column }),
    })
    return []
  }
}

/** The text of the file the document is in, to place positions inside its block scalars. */
function fileText(findings: Findings): string | undefined {
  return projectFileText(findings.context.dir, findings.document.file, findings.context.files)
}

/** Checks one `{% filter_table %}`: the filter exists, its parameters are declared and typed, required ones given. */
function checkFilterTable(
  findings: Findings,
  key: string,
  text: string,
  use: FilterTableUse,
): FilterConfig | undefined {
  const at = templateTextPosition(findings.document, [key], text, use.line, use.column, fileText(findings))
  const where = at.exact ? '' : ` (template line ${String(use.line)}, column ${String(use.column)})`
  const place = (issue: ReturnType<typeof issueAt>) => ({ ...issue, line: at.line, column: at.column })
  const before = findings.issues.length
  const filter = resolveDocument(
    findings,
    { kind: 'Filter', noun: 'filter', valid: findings.context.filters },
    use.filter,
    [key],
  )
  // resolveDocument positions its issue at the key's value; move it to the tag.
  for (let i = before; i < findings.issues.length; i++) findings.issues[i] = place(findings.issues[i]!)
  if (filter === undefined) return undefined
  const known = filter.parameters.map((p) => p.name)
  for (const [name, value] of Object.entries(use.parameters)) {
    const parameter = filter.parameters.find((p) => p.name === name)
    if (parameter === undefined) {
      const match = closestMatch(name, known)
      findings.add(
        place(
          issueAt(
            findings.document,
            'CFG_INVALID_VALUE',
            `Filter '${filter.name}' has no parameter '${name}'${where}.`,
            [key],
            {
              hint:
                match !== undefined
                  ? `Did you mean '${match}'?`
                  : known.length === 0
                    ? `Filter '${filter.name}' takes no parameters; remove '${name}:'.`
                    : `Its parameters are: ${known.join(', ')}.`,
            },
          ),
        ),
      )
      continue
    }
    const parsed = parseDefault(parameter.type, value)
    if (!parsed.ok) {
      findings.add(
        place(
          issueAt(
            findings.document,
            'CFG_INVALID_VALUE',
            `Parameter '${name}' of filter '${filter.name}' is ${parameter.type}: expected ${parsed.expected}${where}.`,
            [key],
            { hint: `Write a value of type ${parameter.type}, as the filter's parameter defaults are written.` },
          ),
        ),
      )
    }
  }
  for (const parameter of filter.parameters) {
    if (parameter.default !== undefined || Object.hasOwn(use.parameters, parameter.name)) continue
    findings.add(
      place(
        issueAt(
          findings.document,
          'CFG_MISSING_KEY',
          `Filter '${filter.name}' needs a value for parameter '${parameter.name}'${where}.`,
          [key],
          { hint: `Add \`${parameter.name}: <value>\` to the filter_table tag.` },
        ),
      ),
    )
  }
  return filter
}
