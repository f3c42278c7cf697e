import { describe, expect, it } from 'vitest'
import { createRelayClient } from '../../../src/participant/relay-client.ts'
import { RelayError } from '../../../src/participant/errors.ts'

const BASE = 'http://relay.test'
const ADDRESS = 'tt1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn3n6ltdk4w0z2y6t8r4sjqfxm8v'

interface Seen { url: string, init: RequestInit }

/** A fetch that answers every request with `answer` and records what it was asked. */
function fakeFetch (answer: (url: string, init: RequestInit) => Response | Promise<Response>): { fetch: typeof fetch, seen: Seen[] } {
  const seen: Seen[] = []
  const fetch = (async (input: string | URL | Request, init: RequestInit = {}) => {
    seen.push({ url: String(input), init })
    return await answer(String(input), init)
  }) as typeof globalThis.fetch
  return { fetch, seen }
}

const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })

const ACCOUNT = {
  address: ADDRESS, balance: '123456789012345678', nonce: 4, pendingNonce: 5, height: 77, stateRoot: 'ab'.repeat(32), proof: ['cd', 'ef']
}

describe('relay client', () => {
  it('reads the chain head', async () => {
    const { fetch, seen } = fakeFetch(() => json({ ok: true, height: 12, headHash: 'aa'.repeat(32), chainId: '01' }))
    const head = await createRelayClient({ baseUrl: `${BASE}/`, fetch }).getHealth()
    expect(head).toEqual({ ok: true, height: 12, headHash: 'aa'.repeat(32), chainId: '01' })
    expect(seen[0]?.url).toBe(`${BASE}/api/health`)
  })

  it('reads an account with its balance as an exact bigint and its proof untouched', async () => {
    const { fetch, seen } = fakeFetch(() => json(ACCOUNT))
    const account = await createRelayClient({ baseUrl: BASE, fetch }).getAccount(ADDRESS)
    expect(account.balance).toBe(123456789012345678n)
    expect(account).toMatchObject({ nonce: 4, pendingNonce: 5, height: 77, proof: ['cd', 'ef'] })
    expect(seen[0]?.url).toBe(`${BASE}/api/accounts/${ADDRESS}`)
  })

  it('posts transaction bytes as application/cbor and returns the id', async () => {
    const { fetch, seen } = fakeFetch(() => json({ id: 'bafy-tx' }))
    const bytes = new Uint8Array([0xa2, 1, 2, 3])
    expect(await createRelayClient({ baseUrl: BASE, fetch }).submitTx(bytes)).toEqual({ id: 'bafy-tx' })
    const init = seen[0]!.init
    expect(init.method).toBe('POST')
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/cbor')
    expect(new Uint8Array(init.body as Uint8Array)).toEqual(bytes)
  })

  it('asks the faucet for an address and returns the amount in base units', async () => {
    const { fetch, seen } = fakeFetch(() => json({ id: 'bafy-faucet', amount: '10000000000' }))
    expect(await createRelayClient({ baseUrl: BASE, fetch }).requestFaucet(ADDRESS)).toEqual({ id: 'bafy-faucet', amount: 10_000_000_000n })
    expect(JSON.parse(seen[0]!.init.body as string)).toEqual({ address: ADDRESS })
  })

  it('turns the relay\'s {error, message} into a RelayError with that code and sentence', async () => {
    const { fetch } = fakeFetch(() => json({ error: 'BAD_NONCE', message: 'The nonce must be 5.' }, 400))
    const failure = createRelayClient({ baseUrl: BASE, fetch }).submitTx(new Uint8Array([1]))
    await expect(failure).rejects.toBeInstanceOf(RelayError)
    await expect(failure).rejects.toMatchObject({ code: 'BAD_NONCE', message: 'The nonce must be 5.', status: 400 })
  })

  it('reports an error status without a JSON body by its status', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }))
    await expect(createRelayClient({ baseUrl: BASE, fetch }).getHealth())
      .rejects.toMatchObject({ code: 'HTTP_ERROR', status: 502, message: expect.stringMatching(/502 Bad Gateway/) })
  })

  it('says the relay cannot be reached when the connection fails', async () => {
    const { fetch } = fakeFetch(() => { throw new TypeError('Failed to fetch') })
    await expect(createRelayClient({ fetch }).getHealth())
      .rejects.toMatchObject({ code: 'UNREACHABLE', message: expect.stringMatching(/^Cannot reach the relay/) })
  })

  it('gives up after the timeout and says so', async () => {
    const { fetch } = fakeFetch(async (_url, init) => await new Promise<Response>((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
    }))
    await expect(createRelayClient({ baseUrl: BASE, fetch, timeoutMs: 20 }).getHealth())
      .rejects.toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/did not answer/) })
  })

  it('refuses an answer that does not have the agreed shape', async () => {
    const { fetch } = fakeFetch(() => json({ ...ACCOUNT, balance: 1.5 }))
    await expect(createRelayClient({ baseUrl: BASE, fetch }).getAccount(ADDRESS))
      .rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringMatching(/"balance"/) })
    const { fetch: notJson } = fakeFetch(() => new Response('ok'))
    await expect(createRelayClient({ baseUrl: BASE, fetch: notJson }).getHealth()).rejects.toMatchObject({ code: 'BAD_RESPONSE' })
  })
})
