/**
 * Limits and timings of the mining agent. Every cap bounds what one peer can make another do;
 * every timing is in milliseconds unless its name says otherwise.
 */

/** The libp2p protocol a miner serves and a validator dials: one signed task in, one signed result out. */
export const TASK_PROTOCOL = '/tabtensor/task/1.0.0'

/** Largest subnet task a signed task may carry, in bytes (prices ships a series; folding needs < 1 KiB). */
export const MAX_TASK_PAYLOAD_BYTES = 48 * 1024
/** Largest subnet result a signed result may carry, in bytes (a forecast ensemble or a Merkle path fits). */
export const MAX_RESULT_PAYLOAD_BYTES = 16 * 1024
/** Largest signed-task frame, in bytes: the payload plus keys, signature and the map's overhead. */
export const MAX_TASK_FRAME_BYTES = MAX_TASK_PAYLOAD_BYTES + 256
/** Largest signed-result frame, in bytes. */
export const MAX_RESULT_FRAME_BYTES = MAX_RESULT_PAYLOAD_BYTES + 256

/** Shortest and longest solving time a validator may grant per task. */
export const MIN_TASK_BUDGET_MS = 1_000
export const MAX_TASK_BUDGET_MS = 120_000
/** Time a validator allows on top of the budget for the result to travel back. */
export const RESULT_GRACE_MS = 5_000
/**
 * Longest a round whose plan hands its task to latecomers (`RoundPlan.join`) waits for miners'
 * streams to open before asking those that are; the rest get the task when theirs opens. A tab
 * that went away can hold its dial to the timeout, which would hold everyone's task back.
 */
export const ROUND_DIAL_WAIT_MS = 3_000
/** Time a miner keeps back from the budget to sign and send its result. */
export const MINER_MARGIN_MS = 1_000

/** Tasks a miner holds at once (queued or solving); more are refused at once rather than answered late. */
export const MAX_PENDING_TASKS = 4

/** Weight of a new score in a uid's moving score (exponential moving average). */
export const SCORE_EMA_ALPHA = 0.3

/** Longest a dial to a miner may take. */
export const DIAL_TIMEOUT_MS = 15_000

/** Largest scores message gossiped by a validator, in bytes (4096 uids × a few bytes). */
export const MAX_SCORES_BYTES = 32 * 1024
