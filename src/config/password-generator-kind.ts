/** The registration of the `PasswordGenerator` kind. (Skeleton: schema and checks are being written.) */
import { z } from 'zod'
import type { PasswordGeneratorConfig } from './engine-model.ts'
import type { KindDefinition } from './kind-definition.ts'

const schema = z.looseObject({ kind: z.literal('PasswordGenerator'), name: z.string() })

export const passwordGeneratorKind: KindDefinition<PasswordGeneratorConfig> = {
  kind: 'PasswordGenerator',
  schema,
  validate() {
    return { issues: [] }
  },
}
