/** Words the mining controls show for the governor's presets and states. */
import type { BUDGET_PRESETS, GovernorState } from '../../inference/governor.ts'

export const PRESET_NAME: Record<(typeof BUDGET_PRESETS)[number], string> = { 0.25: 'Light', 0.5: 'Balanced', 1: 'Full' }

/** One short label per state; running and resting are both "running", so a screen reader is not told of every rest. */
export const STATE_LABEL: Record<GovernorState, string> = {
  'waiting-for-consent': 'Not started',
  running: 'Running',
  resting: 'Running',
  'paused-user': 'Paused',
  'paused-hidden': 'Paused while the tab is hidden',
  'paused-battery': 'Paused while on battery',
  stopped: 'Stopped'
}
