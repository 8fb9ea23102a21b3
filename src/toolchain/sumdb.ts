import { createPublicKey, verify } from 'node:crypto'
import { ActionError } from '../errors.js'
import { type TileFetcher, verifyLookupInclusion } from './tlog.js'

/** sum.golang.org's verifier key, as compiled into the go command (cmd/go/internal/modfetch/key.go). */
export const SUM_GOLANG_ORG_KEY =
  'sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8'

export interface Verifier {
  name: string
  keyHash: number
  publicKey: Buffer
}

/** Parses a note verifier key "<name>+<hash hex>+<base64(alg byte + Ed25519 key)>". */
export function parseVerifierKey(key: string): Verifier {
  // The base64 part may itself contain '+', so split on the first two only.
  const m = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(key)
  const [, name, hash, encoded] = m ?? []
  const raw = Buffer.from(encoded ?? '', 'base64')
  if (!name || !hash || raw.length !== 33 || raw[0] !== 1)
    throw new Error(`not an Ed25519 verifier key: ${key}`)
  return { name, keyHash: parseInt(hash, 16), publicKey: raw.subarray(1) }
}

function verifyEd25519(publicKey: Buffer, message: Buffer, signature: Buffer): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') },
    format: 'jwk'
  })
  return verify(null, message, key, signature)
}

/**
 * Checks the signed tree head that ends a lookup answer: the note's text must be signed by the
 * checksum database's key. moduleHashFromLookup then proves the record is in that tree.
 */
export function verifyNote(note: string, verifier: Verifier): boolean {
  const split = note.lastIndexOf('\n\n')
  if (split < 0) return false
  const message = Buffer.from(note.slice(0, split + 1), 'utf8')
  for (const line of note.slice(split + 2).split('\n')) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line)
    if (!m || m[1] !== verifier.name) continue
    const sig = Buffer.from(m[2] ?? '', 'base64')
    if (sig.length !== 68 || sig.readUInt32BE(0) !== verifier.keyHash) continue
    if (verifyEd25519(verifier.publicKey, message, sig.subarray(4))) return true
  }
  return false
}

/**
 * Reads the h1: hash of module@version from a checksum database lookup answer:
 * "<record id>\n<module> <version> h1:…\n<module> <version>/go.mod h1:…\n\n<signed note>".
 */
export async function moduleHashFromLookup(
  answer: string,
  module: string,
  version: string,
  verifier: Verifier,
  fetchTile: TileFetcher
): Promise<string> {
  const blank = answer.indexOf('\n\n')
  if (blank < 0)
    throw new ActionError(`the checksum database gave no record for ${module}@${version}`)
  const record = answer.slice(0, blank)
  if (!verifyNote(answer.slice(blank + 2), verifier)) {
    throw new ActionError(
      `the checksum database's answer for ${module}@${version} is not signed by ${verifier.name}`
    )
  }
  // A signed tree head alone proves nothing about the record beside it: prove it is in the tree.
  await verifyLookupInclusion(answer, fetchTile)
  for (const line of record.split('\n')) {
    const [m, v, hash] = line.split(' ')
    if (m === module && v === version && hash?.startsWith('h1:')) return hash
  }
  throw new ActionError(`the checksum database has no h1: hash for ${module}@${version}`)
}
