/**
 * A relay client that answers from a real in-process chain through the relay's own JSON views,
 * optionally lying about one thing — a faked neighbour for unit tests of the tab's logic.
 */
import { fromAddress } from '../../src/core/address.ts'
import type { Chain } from '../../src/core/chain.ts'
import { genesisToJson } from '../../src/core/genesis.ts'
import { toHex } from '../../src/core/hash.ts'
import { RelayError } from '../../src/participant/errors.ts'
import type { EpochEvidenceJson, RelayClient } from '../../src/participant/relay-client.ts'
import { accountView, epochEvidenceView, epochsView, headerView, subnetsView } from '../../relay/views.ts'

export function relayOf (chain: Chain, lie: { balance?: bigint, headHash?: string } = {}): RelayClient {
  return {
    getHealth: async () => ({ ok: true, height: chain.height, headHash: lie.headHash ?? toHex(chain.headHash), chainId: toHex(chain.chainId) }),
    getGenesis: async () => ({ chainId: toHex(chain.chainId), genesis: genesisToJson(chain.spec) }),
    getHeaders: async (from, limit) => {
      const out: string[] = []
      for (let h = from; h <= chain.height && out.length < limit; h++) out.push((headerView(chain.header(h)!) as { encoded: string }).encoded)
      return out
    },
    getAccount: async address => {
      const view = accountView(chain, fromAddress(address)) as Record<string, unknown>
      return {
        address, nonce: view.nonce as number, pendingNonce: view.pendingNonce as number, height: view.height as number,
        stateRoot: view.stateRoot as string, proof: view.proof, balance: lie.balance ?? BigInt(view.balance as string)
      }
    },
    getSubnets: async () => (subnetsView(chain) as { subnets: Array<{ netuid: number, name: string }> }).subnets,
    getEpochs: async netuid => (epochsView(chain, netuid) as { epochs: Array<{ height: number }> }).epochs.map(e => e.height),
    getEpochEvidence: async (netuid, height) => {
      const evidence = epochEvidenceView(chain, netuid, height)
      if (evidence === undefined) throw new RelayError('NO_EPOCH_EVIDENCE', 'no evidence')
      return evidence as unknown as EpochEvidenceJson
    },
    submitTx: async () => { throw new RelayError('UNREACHABLE', 'unused') },
    requestFaucet: async () => { throw new RelayError('UNREACHABLE', 'unused') },
    getP2p: async () => { throw new RelayError('UNREACHABLE', 'unused') }
  }
}

