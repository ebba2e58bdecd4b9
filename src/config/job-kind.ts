/** The registration of the `Job` kind. (Skeleton: schema and checks are being written.) */
import { z } from 'zod'
import type { JobConfig } from './engine-model.ts'
import type { KindDefinition } from './kind-definition.ts'

const schema = z.looseObject({ kind: z.literal('Job'), name: z.string() })

export const jobKind: KindDefinition<JobConfig> = {
  kind: 'Job',
  schema,
  validate() {
    return { issues: [] }
  },
}
