/**
 * The connector part of `provisio validate`: each System's connector type must exist, and its
 * `config:` and every table's `options:` must pass that connector's own schemas. Problems are
 * positioned in the YAML like every other configuration issue.
 */
import { type Issue, closestMatch } from '../core/index.ts'
import { type SystemConfig, validateDocumentPart } from '../config/index.ts'
import { connectorTypes, findConnector } from './registry.ts'

export function checkSystemConnectors(systems: readonly SystemConfig[]): Issue[] {
  const issues: Issue[] = []
  for (const system of systems) {
    const definition = findConnector(system.connector)
    if (definition === undefined) {
      const suggestion = closestMatch(system.connector, connectorTypes())
      const { line, column } = system.document.positionOf(['connector'])
      issues.push({
        code: 'CON_UNKNOWN_CONNECTOR',
        message: `There is no connector of type '${system.connector}'.`,
        hint: `${suggestion === undefined ? '' : `Did you mean '${suggestion}'? `}Connector types: ${connectorTypes().join(', ')}.`,
        file: system.file,
        line,
        column,
        path: ['connector'],
        value: system.connector,
      })
      continue
    }
    const config = validateDocumentPart(system.document, definition.configSchema, ['config'])
    if (!config.ok) issues.push(...config.issues)
    for (const table of system.tables) {
      const options = validateDocumentPart(system.document, definition.tableOptionsSchema, ['tables', table.name, 'options'])
      if (!options.ok) issues.push(...options.issues)
    }
  }
  return issues
}
