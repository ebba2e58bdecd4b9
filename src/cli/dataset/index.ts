/**
 * dataset: generators of demo data for connected systems. Today the HR500-compatible HR source
 * (employees, departments, contracts) that examples/hr500 and the benchmarks read.
 */
export {
  generateHrDataset,
  describeDataset,
  isReferenceDate,
  DEFAULT_REFERENCE_DATE,
  MAX_EMPLOYEES,
  type HrDatasetOptions,
  type HrDatasetFile,
  type HrDatasetResult,
} from './hr-dataset.ts'
export {
  generateDirectoryDataset,
  type DirectoryDatasetOptions,
  type DirectoryDatasetResult,
} from './directory-dataset.ts'
