/** The answers of the role routes (src/server/routes/roles.ts), as the Roles page reads them. */
export interface StoredModel {
  readonly id: number
  readonly name: string
  readonly state: 'active' | 'history'
  readonly hash: string
  readonly file: string
  readonly activatedAt: string
  readonly activatedBy: string
  readonly retiredAt?: string
  readonly roles: number
  readonly generators: number
}

export interface Models {
  readonly development: { name: string; file: string } | null
  readonly active: StoredModel | null
  readonly models: readonly StoredModel[]
}

export type RoleSummary = readonly { role: string; groups: readonly string[]; members: number }[]

export interface Diff {
  readonly active: Record<string, unknown> | null
  readonly rolesAdded: RoleSummary
  readonly rolesRemoved: RoleSummary
  readonly changed: readonly {
    role: string
    groupsAdded: readonly string[]
    groupsRemoved: readonly string[]
    membersAdded: readonly string[]
    membersRemoved: readonly string[]
  }[]
  readonly unchanged: number
  readonly groupsReleased: readonly string[]
  readonly notices: { development: readonly ModelNotice[]; active: readonly ModelNotice[] }
  readonly activeProblem?: string
  readonly changedFilters: readonly string[]
}

export interface ModelNotice {
  readonly code: string
  readonly role: string
  readonly message: string
}

export interface Inspection {
  readonly roles: readonly {
    role: string
    generator?: string
    groups: readonly { system: string; name: string; key: string }[]
    members: readonly { system: string; key: string }[]
  }[]
  readonly current: readonly {
    system: string
    table: string
    group: string
    member: string
    managed: boolean
    granted: boolean
  }[]
  readonly pending: readonly {
    system: string
    table: string
    change: 'add' | 'remove'
    group: string
    member: string
  }[]
  readonly notices: readonly ModelNotice[]
  readonly notes: readonly string[]
}
