/**
 * The `filter:` expression of an EventAction: the scope it is checked against and the compiled
 * predicate the events layer applies. The convention (docs/events.md): the event's scalar fields are
 * bare names (`status = 'failed'`; they sit under the default alias `event`, so `event.status` works
 * too), a task.finished event's figures are `counts.<name>`, an operation's attributes
 * `attributes.<name>` (text).
 */
import {
  EVENT_FIELDS,
  type EventType,
  type ProvisioEvent,
  TASK_COUNT_NAMES,
  eventAttributeValue,
  eventCountValue,
  eventFieldValue,
} from '../core/index.ts'
import type { Value } from '../core/index.ts'
import { compileToJs, parseExpression, type Scope, typeCheck } from '../expr/index.ts'
import type { EventActionConfig } from './event-action-model.ts'
import { expressionNames } from './generator-expressions.ts'

/** The alias of the event's own fields, the default one. */
export const EVENT_ALIAS = 'event'
export const COUNTS_ALIAS = 'counts'
export const ATTRIBUTES_ALIAS = 'attributes'

/** Whether events of the type carry operation attributes. */
export function hasAttributes(type: EventType): boolean {
  return type === 'mapping.executed' || type === 'operation.failed'
}

/** The scope of a filter over events of `type`; `attributes` are the attribute names it may read. */
export function eventFilterScope(type: EventType, attributes: readonly string[]): Scope {
  return {
    aliases: {
      [EVENT_ALIAS]: EVENT_FIELDS[type],
      ...(type === 'task.finished'
        ? { [COUNTS_ALIAS]: Object.fromEntries(TASK_COUNT_NAMES.map((name) => [name, 'integer' as const])) }
        : {}),
      ...(hasAttributes(type)
        ? { [ATTRIBUTES_ALIAS]: Object.fromEntries(attributes.map((name) => [name, 'string' as const])) }
        : {}),
    },
    defaultAlias: EVENT_ALIAS,
  }
}

/**
 * The predicate of an action's `filter:` (always true without one). Attributes cannot be typed
 * without the mapping, so every `attributes.<name>` the expression reads is text, as validation
 * checked it. Throws when the expression does not type-check (a project that was not validated).
 */
export function compileEventFilter(action: EventActionConfig): (event: ProvisioEvent) => boolean {
  if (action.filter === undefined) return () => true
  const expr = parseExpression(action.filter.text)
  const columns = expressionNames(expr).filter((n) => n.kind === 'Column')
  const namesOf = (alias: string, isDefault = false) => [
    ...new Set(columns.filter((n) => n.alias === alias || (isDefault && n.alias === undefined)).map((n) => n.name)),
  ]
  const fields = namesOf(EVENT_ALIAS, true)
  const counts = namesOf(COUNTS_ALIAS)
  const attributes = namesOf(ATTRIBUTES_ALIAS)
  const evaluate = compileToJs(typeCheck(expr, eventFilterScope(action.event, attributes)))
  // Only the values the expression reads are taken from the event (as eventFilterRow has them): a
  // filter on `mapping.executed` runs once per operation, and a whole row per event costs µs each.
  return (event) => {
    const rows: Record<string, Record<string, Value>> = {
      [EVENT_ALIAS]: {},
      [COUNTS_ALIAS]: {},
      [ATTRIBUTES_ALIAS]: {},
    }
    for (const name of fields) rows[EVENT_ALIAS]![name] = eventFieldValue(event, name)
    for (const name of counts) rows[COUNTS_ALIAS]![name] = eventCountValue(event, name)
    for (const name of attributes) rows[ATTRIBUTES_ALIAS]![name] = eventAttributeValue(event, name)
    return evaluate({ rows }) === true
  }
}
