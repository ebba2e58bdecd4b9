/**
 * Jobs and tasks: the scheduled tasks (with their next run times, and "Run now" that opens the new
 * run's page to follow it live), then the jobs with their steps and thresholds, to evaluate (a plan
 * preview, nothing written) or run.
 */
import { Page } from '../components/layout.tsx'
import { JobsSection } from './jobs/jobs-section.tsx'
import { TasksSection } from './jobs/tasks-section.tsx'

export default function JobsPage() {
  return (
    <Page title="Jobs and tasks" subtitle="What runs, when, and with which thresholds.">
      <TasksSection />
      <JobsSection />
    </Page>
  )
}
