/**
 * The `RoleModel` kind's registration: schema, then the checks against the project's Systems and
 * Filters, then resolution into a {@link RoleModelConfig}. A project has at most one RoleModel
 * document, its *development* model: a second one is an error at its name. The checks against the
 * connectors' membership functions and the filters' output types are the engine's
 * (src/engine/check-roles.ts).
 */
import type { Issue } from '../core/index.ts'
import { Findings } from './filter-references.ts'
import { issueAt } from './issues.ts'
import type { KindContext, KindDefinition } from './kind-definition.ts'
import type { LoadedDocument } from './loaded-document.ts'
import type { RoleModelConfig } from './role-model.ts'
import { checkRoleModel } from './role-model-checks.ts'
import { roleModelSchema } from './role-model-schema.ts'
import { validateDocumentPart } from './zod-issues.ts'

/**
 * Validates one RoleModel document against the project in `context` and resolves it; shared by the
 * project's document and a model stored in the vault (role-model-stored.ts).
 */
export function validateRoleModelDocument(
  document: LoadedDocument,
  context: KindContext,
): { readonly value?: RoleModelConfig | undefined; readonly issues: readonly Issue[] } {
  const parsed = validateDocumentPart(document, roleModelSchema)
  if (!parsed.ok) return { issues: parsed.issues }
  const findings = new Findings(document, context)
  const value = checkRoleModel(findings, parsed.value)
  return { value, issues: findings.issues }
}

/** The RoleModel document before `document` in the project (file order), if any. */
function firstRoleModel(document: LoadedDocument, context: KindContext): LoadedDocument | undefined {
  const first = context.documents.find((d) => d.kind === 'RoleModel')
  return first === undefined || first === document ? undefined : first
}

/** The registration of the `RoleModel` kind. */
export const roleModelKind: KindDefinition<RoleModelConfig> = {
  kind: 'RoleModel',
  schema: roleModelSchema,
  uses: ['System', 'Filter'],
  validate(document, context) {
    const result = validateRoleModelDocument(document, context)
    const first = firstRoleModel(document, context)
    if (first === undefined) return result
    const at = first.positionOf(['name'])
    const duplicate = issueAt(
      document,
      'CFG_DUPLICATE_ROLE_MODEL',
      `RoleModel '${document.name}' is a second role model; the project's role model is '${first.name}' in ${first.file}:${at.line}:${at.column}.`,
      ['name'],
      {
        hint: `A project has one development role model: move the roles and generators of '${document.name}' into '${first.name}' and remove this document.`,
        value: document.name,
      },
    )
    // Its own problems are still reported, all at once; the second model is never resolved.
    return { issues: [duplicate, ...result.issues] }
  },
}
