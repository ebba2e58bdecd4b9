/**
 * The connector part of `provisio validate`: each System's connector type must exist, and its
 * `config:` and every table's `options:` must pass that connector's own schemas. It reads the
 * documents themselves, so these problems are reported even when the rest of the document has
 * errors too. Problems are positioned in the YAML like every other configuration issue.
 */
import { type Issue, closestMatch } from '../core/index.ts'
import { type LoadedDocument, type ValidatedProject, validateDocumentPart } from '../config/index.ts'
import { connectorTypes, findConnector } from './registry.ts'

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function unknownConnector(document: LoadedDocument, type: string): Issue {
  const suggestion = closestMatch(type, connectorTypes())
  const { line, column } = document.positionOf(['connector'])
  return {
    code: 'CON_UNKNOWN_CONNECTOR',
    message: `There is no connector of type '${type}'.`,
    hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Connector types: ${connectorTypes().join(', ')}.`,
    file: document.file,
    line,
    column,
    path: ['connector'],
    value: type,
  }
}

export function checkSystemConnectors(documents: readonly LoadedDocument[]): Issue[] {
  const issues: Issue[] = []
  for (const document of documents.filter((d) => d.kind === 'System')) {
    const type = document.value['connector']
    if (typeof type !== 'string') continue // the System schema reports a missing or wrong connector
    const definition = findConnector(type)
    if (definition === undefined) {
      issues.push(unknownConnector(document, type))
      continue
    }
    if (document.value['config'] !== undefined) {
      const config = validateDocumentPart(document, definition.configSchema, ['config'])
      if (!config.ok) issues.push(...config.issues)
    }
    const tables = document.value['tables']
    if (!isRecord(tables)) continue
    for (const [name, table] of Object.entries(tables)) {
      if (!isRecord(table)) continue
      const options = validateDocumentPart(document, definition.tableOptionsSchema, ['tables', name, 'options'])
      if (!options.ok) issues.push(...options.issues)
    }
  }
  return issues
}

/**
 * The connector's own checks of each declared table of the valid Systems (ConnectorDefinition.
 * checkTable): what its option schemas cannot see, such as options that do not fit the columns.
 */
export function checkSystemTables(project: ValidatedProject): Issue[] {
  const issues: Issue[] = []
  for (const system of project.systems) {
    const definition = findConnector(system.connector)
    if (definition?.checkTable === undefined) continue
    const config = definition.configSchema.safeParse(system.config)
    if (!config.success) continue // reported by checkSystemConnectors
    const document = project.documents.find((d) => d.kind === 'System' && d.value['name'] === system.name)
    for (const table of system.tables) {
      const options = definition.tableOptionsSchema.safeParse(table.options ?? {})
      if (!options.success) continue // reported by checkSystemConnectors
      for (const message of definition.checkTable({ ...table, options: options.data }, config.data)) {
        const path = ['tables', table.name]
        const position = document?.positionOf(path)
        issues.push({
          code: 'CON_INVALID_TABLE',
          message: `Table ${system.name}.${table.name}: ${message}.`,
          hint: `See the ${definition.displayName} documentation (docs/connectors/${definition.type}.md).`,
          path,
          ...(document === undefined ? {} : { file: document.file, line: position?.line, column: position?.column }),
        })
      }
    }
  }
  return issues
}
