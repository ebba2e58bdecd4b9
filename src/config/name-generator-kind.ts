/** The registration of the `NameGenerator` kind. (Skeleton: schema and checks are being written.) */
import { z } from 'zod'
import type { NameGeneratorConfig } from './engine-model.ts'
import type { KindDefinition } from './kind-definition.ts'

const schema = z.looseObject({ kind: z.literal('NameGenerator'), name: z.string() })

export const nameGeneratorKind: KindDefinition<NameGeneratorConfig> = {
  kind: 'NameGenerator',
  schema,
  validate() {
    return { issues: [] }
  },
}
