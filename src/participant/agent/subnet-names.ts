/**
 * The subnets the tab's agent mines and validates, and the storage default the page shows: kept
 * apart from `tab-roles.ts` so the page can name them without loading the agent, which it loads
 * only when mining starts.
 */

/** Subnets the agent validates and mines. */
export const SUBNETS = ['folding', 'prices', 'storage'] as const
export type SubnetName = typeof SUBNETS[number]

export function supportedSubnet (name: string): name is SubnetName {
  return (SUBNETS as readonly string[]).includes(name)
}

/** Storage a storage miner may fill by default, in bytes: its whole assignment (2 MiB) and room to spare. */
export const DEFAULT_STORAGE_QUOTA = 64 * 1024 * 1024
