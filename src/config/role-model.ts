/**
 * The resolved shape of a `RoleModel` document (docs/roles.md, DESIGN.md §8 "roles"). A role model
 * says which accounts are members of which groups: roles, each a member filter and role items (the
 * groups of one target system it grants), and role generators, which make one role per row of a
 * generation filter (one role per department). The document in the project is the *development*
 * model; `provisio roles activate` stores a copy in the vault as the *active* model, the only one a
 * job ever executes, and keeps the ones before it as *history*.
 *
 * Expressions (a generator's role name, its bound member-filter parameters and its group names) are
 * kept as text with their document path: the engine type-checks them over the generation filter's
 * row, as it does for mappings.
 */
import type { Value } from '../core/index.ts'
import type { ExpressionText } from './engine-model.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { DocumentPath } from './yaml-positions.ts'

/** Which groups of the item's group table a role grants. */
export type RoleGroups =
  /** Fixed group names, matched case-insensitively against the item's `nameColumn`. */
  | { readonly kind: 'names'; readonly names: readonly string[] }
  /** Every group whose name matches a pattern: `*` any characters, `?` one character, case-insensitive. */
  | { readonly kind: 'match'; readonly pattern: string }
  /** Role generators only: an expression over the generation row giving one group name (exact, case-insensitive). */
  | { readonly kind: 'expression'; readonly expression: ExpressionText }

/** One role item: the groups of one target system a role grants, and how members are named there. */
export interface RoleItemConfig {
  /** The target system. */
  readonly system: string
  /** The system's table of groups (`groups`). */
  readonly groupTable: string
  /**
   * The group table's column whose value identifies a group in the memberships table (`dn` on LDAP,
   * `cn` or an id on SQL): NIM's "Group Script ID".
   */
  readonly groupKey: string
  /** The group table's column that `groups` names and `match` patterns are compared with. @default groupKey */
  readonly nameColumn: string
  /**
   * The member filter's output column holding the member's key as the memberships table holds it
   * (`u.dn`, `u.sAMAccountName`): NIM's "Filter Member".
   */
  readonly member: string
  /**
   * The system's memberships table (the table whose functions have membership-add and
   * membership-remove semantics). @default the system's only such table (the engine resolves it)
   */
  readonly membershipsTable?: string | undefined
  readonly groups: RoleGroups
  readonly path: DocumentPath
}

/** A role written out: its member filter and the groups it grants. */
export interface RoleConfig {
  readonly name: string
  readonly description?: string | undefined
  /** The member filter: its rows are the role's members. */
  readonly filter: string
  /** Values for the member filter's parameters. @default the filter's defaults */
  readonly parameters: Readonly<Record<string, Value>>
  readonly items: readonly RoleItemConfig[]
  readonly path: DocumentPath
}

/** A member-filter parameter a role generator binds from each generation row. */
export interface RoleBinding {
  readonly parameter: string
  /** An expression over the generation row (`d.organizational_unit`). */
  readonly expression: ExpressionText
}

/** A role generator: one role per row of the generation filter. */
export interface RoleGeneratorConfig {
  readonly name: string
  readonly description?: string | undefined
  /** A disabled generator makes no roles: its groups are no longer managed. @default true */
  readonly enabled: boolean
  /** The generation filter: one role per row. */
  readonly filter: string
  /** Values for the generation filter's parameters. @default the filter's defaults */
  readonly parameters: Readonly<Record<string, Value>>
  /** The role's name, an expression over the generation row (`'DEP_' || d.organizational_unit`). */
  readonly roleName: ExpressionText
  readonly members: {
    /** The member filter, run once for all generated roles with its bound parameters lifted into the query. */
    readonly filter: string
    /** Fixed values for the member filter's other parameters. */
    readonly parameters: Readonly<Record<string, Value>>
    /** Member-filter parameters bound from each generation row; at least one. */
    readonly bind: readonly RoleBinding[]
  }
  /** Each item's `groups` is of kind `expression` or `names`/`match` (the same groups for every generated role). */
  readonly items: readonly RoleItemConfig[]
  readonly path: DocumentPath
}

export interface RoleModelConfig {
  readonly name: string
  readonly description?: string | undefined
  readonly roles: readonly RoleConfig[]
  readonly generators: readonly RoleGeneratorConfig[]
  readonly file: string
  readonly document: LoadedDocument
}
