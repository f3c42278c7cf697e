/** Limits of the folding subnet. Every one bounds what a task or result may make a peer do. */

/** Shortest sequence a task may hold, in residues (shorter ones have trivial minima). */
export const MIN_SEQUENCE_LENGTH = 4
/** Longest sequence a task may hold, in residues (the lattice packs ten bits per axis). */
export const MAX_SEQUENCE_LENGTH = 512
/** Default range of generated sequence lengths, in residues: hard enough, still a tab's work. */
export const TASK_MIN_LENGTH = 20
export const TASK_MAX_LENGTH = 64
/** Share of H residues in a generated sequence, in per mille, lowest and highest. */
export const TASK_MIN_H_PER_MILLE = 400
export const TASK_MAX_H_PER_MILLE = 600
/** Length of a task id, in hex characters (128 bits of the seed's hash). */
export const TASK_ID_HEX_LENGTH = 32
/** Largest encoded task we decode, in bytes (a full-length sequence plus the map's overhead). */
export const MAX_TASK_BYTES = MAX_SEQUENCE_LENGTH + 96
/** Largest encoded result we decode, in bytes (a full-length move string plus the map's overhead). */
export const MAX_RESULT_BYTES = MAX_SEQUENCE_LENGTH + 96
