/**
 * The engine layer's error codes (DESIGN.md §11): mappings, generators, planning and execution.
 * Configuration problems found by the engine's checks (a mapping against its function) are
 * positioned issues with these codes; run-time failures are thrown with them.
 */
import { defineErrors } from '../core/index.ts'

export const engineError = defineErrors('engine', {
  ENG_UNKNOWN_MAPPING: {
    audience: 'user',
    title: 'No mapping of the project has the name given.',
    hint: 'Use the name of a Mapping document; `provisio validate` lists the problems of the project.',
  },
})

export type EngineErrorCode = Parameters<typeof engineError>[0]
