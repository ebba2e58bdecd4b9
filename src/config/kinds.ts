/**
 * The registry of document kinds. A kind is added by writing its `<kind>-kind.ts` (schema, checks,
 * resolution) and listing it here; the loader and validateProject pick it up from this list.
 *
 * The order matters: validateProject validates the kinds in this order, and a kind's checks see the
 * resolved documents of the kinds before it (KindDefinition.uses names them): Links need the
 * Systems, Filters the Systems and Links, Templates the Filters, EventActions everything before them.
 */
import { eventActionKind } from './event-action-kind.ts'
import { filterKind } from './filter-kind.ts'
import { jobKind } from './job-kind.ts'
import { mappingKind } from './mapping-kind.ts'
import { nameGeneratorKind } from './name-generator-kind.ts'
import { passwordGeneratorKind } from './password-generator-kind.ts'
import { linkKind } from './link-kind.ts'
import { mailServerKind } from './mail-server-kind.ts'
import { roleModelKind } from './role-model-kind.ts'
import { systemKind } from './system-kind.ts'
import { taskKind } from './task-kind.ts'
import { templateKind } from './template-kind.ts'

/** Every supported kind, by its `kind:` value, in validation order. */
export const kindRegistry = {
  System: systemKind,
  Link: linkKind,
  Filter: filterKind,
  NameGenerator: nameGeneratorKind,
  PasswordGenerator: passwordGeneratorKind,
  Mapping: mappingKind,
  RoleModel: roleModelKind,
  Job: jobKind,
  Task: taskKind,
  MailServer: mailServerKind,
  Template: templateKind,
  EventAction: eventActionKind,
} as const

/** A kind this version supports. */
export type KnownKind = keyof typeof kindRegistry

/** Kinds of the design (DESIGN.md §3) that later versions add; documents of these kinds are reported as not supported yet. */
export const FUTURE_KINDS: readonly string[] = []

/**
 * Kinds of the design that are written inside another document, not as documents of their own:
 * the `kind:` value and what to write instead.
 */
export const EMBEDDED_KINDS: Readonly<Record<string, string>> = {
  RoleGenerator:
    'Role generators are written inside the RoleModel document, in its `generators:` list (docs/roles.md); move this one there as `- name: …` without `kind:`.',
}

/** The supported kinds, in registration (and validation) order. */
export function knownKinds(): KnownKind[] {
  return Object.keys(kindRegistry) as KnownKind[]
}

/** Whether `kind` is a `kind:` value this version supports. */
export function isKnownKind(kind: string): kind is KnownKind {
  return Object.hasOwn(kindRegistry, kind)
}
