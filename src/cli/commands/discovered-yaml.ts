/**
 * `provisio system discover` for people: the discovered tables as a `tables:` block of a System
 * document, ready to paste and then correct (types, keys and options are proposals).
 */
import { Document, isScalar, visit } from 'yaml'
import type { DiscoveredTable } from '../../connectors/index.ts'

function tableDocument(table: DiscoveredTable): Record<string, unknown> {
  const columns = Object.fromEntries(
    table.columns.map((c) => [
      c.name,
      c.source === undefined && c.caseInsensitive !== true
        ? c.type
        : {
            type: c.type,
            ...(c.source === undefined ? {} : { source: c.source }),
            ...(c.caseInsensitive === true ? { caseInsensitive: true } : {}),
          },
    ]),
  )
  return {
    ...(table.options === undefined || Object.keys(table.options).length === 0 ? {} : { options: table.options }),
    ...(table.primaryKey === undefined ? {} : { primaryKey: table.primaryKey }),
    ...(table.referenceKeys === undefined || table.referenceKeys.length === 0
      ? {}
      : { referenceKeys: table.referenceKeys }),
    columns,
  }
}

/** The YAML text of a `tables:` block describing `tables`. */
export function discoveredYaml(system: string, tables: readonly DiscoveredTable[]): string {
  const header = `# Tables of system ${system} as discovered: check the types, keys and options before use.\n`
  if (tables.length === 0) return `${header}# (no tables found)`
  const document = { tables: Object.fromEntries(tables.map((t) => [t.name, tableDocument(t)])) }
  const doc = new Document(document)
  // A column with options reads best on one line: `dn: { type: string, caseInsensitive: true }`.
  visit(doc, {
    Map(_key, map) {
      if (map.has('type') && map.items.every((item) => isScalar(item.value))) map.flow = true
    },
  })
  return header + doc.toString({ lineWidth: 0, flowCollectionPadding: true }).trimEnd()
}
