/** The registration of the `Mapping` kind. (Skeleton: schema and checks are being written.) */
import { z } from 'zod'
import type { MappingConfig } from './engine-model.ts'
import type { KindDefinition } from './kind-definition.ts'

const schema = z.looseObject({ kind: z.literal('Mapping'), name: z.string() })

export const mappingKind: KindDefinition<MappingConfig> = {
  kind: 'Mapping',
  schema,
  validate() {
    return { issues: [] }
  },
}
