import { beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import {
  moduleHashFromLookup,
  parseVerifierKey,
  SUM_GOLANG_ORG_KEY,
  type Verifier,
  verifyNote
} from '../../src/toolchain/sumdb.js'

// Saved from https://proxy.golang.org/sumdb/sum.golang.org/lookup/golang.org/toolchain@v0.0.1-go1.27.3.linux-amd64
const FIXTURE = path.join(
  import.meta.dirname,
  '../../testdata/unit/sumdb-lookup-toolchain-go1.27.3.txt'
)
const MODULE = 'golang.org/toolchain'
const VERSION = 'v0.0.1-go1.27.3.linux-amd64'
// The h1 the record in the fixture gives for the module zip (its first hash line).
const EXPECTED_H1 = 'h1:r0ub+FnqzZxoWm/dSUOI9DcIqYWn/mNYGFJcv7PyBzs='

let answer: string
let verifier: Verifier

beforeAll(async () => {
  answer = await readFile(FIXTURE, 'utf8')
  verifier = parseVerifierKey(SUM_GOLANG_ORG_KEY)
})

/** The signed note that follows the record: "go.sum database tree\n<size>\n<hash>\n\n— sig\n". */
/** The real tiles the inclusion proof of the fixture's record needs (testdata/unit/tlog). */
const tilesFromDisk = async (tile: string): Promise<Uint8Array> =>
  readFile(path.join(path.dirname(FIXTURE), 'tlog', tile))

const noteOf = (a: string): string => a.slice(a.indexOf('\n\n') + 2)

/** Replaces line i (0-based) of the note's text. */
function withNoteLine(note: string, i: number, edit: (line: string) => string): string {
  const lines = note.split('\n')
  lines[i] = edit(lines[i] as string)
  return lines.join('\n')
}

/** Flips one bit of byte `index` of the base64 signature on the note's signature line. */
function withSignatureByteFlipped(note: string, index: number): string {
  return note.replace(/^(\u2014 sum\.golang\.org )(\S+)$/m, (_, head: string, b64: string) => {
    const raw = Buffer.from(b64, 'base64')
    raw[index] = (raw[index] as number) ^ 0x01
    return head + raw.toString('base64')
  })
}

/** A different base64 character at the start of a base64 string (so exactly one byte changes). */
const flipFirstChar = (s: string): string => (s[0] === 'A' ? 'B' : 'A') + s.slice(1)

describe('parseVerifierKey', () => {
  test('parses sum.golang.org, whose base64 part contains "+"', () => {
    expect(SUM_GOLANG_ORG_KEY.split('+').length).toBeGreaterThan(3)
    expect(verifier.name).toBe('sum.golang.org')
    expect(verifier.keyHash).toBe(0x033de0ae)
    expect(verifier.publicKey).toHaveLength(32)
  })

  test('the key hash in the key is the note key ID of the parsed public key', () => {
    // golang.org/x/mod/sumdb/note: keyHash = first 4 bytes of SHA-256(name + "\n" + alg + key).
    const id = createHash('sha256')
      .update(`${verifier.name}\n`)
      .update(Buffer.from([1]))
      .update(verifier.publicKey)
      .digest()
      .readUInt32BE(0)
    expect(id).toBe(verifier.keyHash)
  })

  test('rejects keys that are not Ed25519 verifier keys', () => {
    const [name, hash, b64] = [
      'sum.golang.org',
      '033de0ae',
      SUM_GOLANG_ORG_KEY.slice('sum.golang.org+033de0ae+'.length)
    ]
    const raw = Buffer.from(b64, 'base64')
    const otherAlg = Buffer.concat([Buffer.from([2]), raw.subarray(1)]).toString('base64')
    for (const bad of [
      '',
      'sum.golang.org',
      `${name}+${hash}`,
      `${name}+033de0a+${b64}`, // 7 hex digits
      `${name}+${hash}+${raw.subarray(0, 20).toString('base64')}`, // short key
      `${name}+${hash}+${otherAlg}` // not algorithm 1 (Ed25519)
    ])
      expect(() => parseVerifierKey(bad)).toThrow(/not an Ed25519 verifier key/)
  })
})

describe('verifyNote on a real sum.golang.org answer', () => {
  test('the signed tree head verifies', () => {
    expect(noteOf(answer)).toMatch(/^go\.sum database tree\n\d+\n\S+\n\n\u2014 sum\.golang\.org /)
    expect(verifyNote(noteOf(answer), verifier)).toBe(true)
  })

  test('flipping one byte of the tree hash breaks it', () => {
    const note = withNoteLine(noteOf(answer), 2, flipFirstChar)
    expect(note).not.toBe(noteOf(answer))
    expect(verifyNote(note, verifier)).toBe(false)
  })

  test('changing the tree size breaks it', () => {
    const note = withNoteLine(noteOf(answer), 1, size => String(Number(size) + 1))
    expect(verifyNote(note, verifier)).toBe(false)
  })

  test('flipping one byte of the signature breaks it', () => {
    for (const index of [4, 30, 67]) {
      const note = withSignatureByteFlipped(noteOf(answer), index)
      expect(note).not.toBe(noteOf(answer))
      expect(verifyNote(note, verifier)).toBe(false)
    }
  })

  test('a signature with another key hash is not taken as the verifier’s', () => {
    expect(verifyNote(withSignatureByteFlipped(noteOf(answer), 0), verifier)).toBe(false)
  })

  test('another verifier (name or key) does not accept it', () => {
    expect(verifyNote(noteOf(answer), { ...verifier, name: 'sum.example.com' })).toBe(false)
    const otherKey = Buffer.from(verifier.publicKey)
    otherKey[0] = (otherKey[0] as number) ^ 0x01
    expect(verifyNote(noteOf(answer), { ...verifier, publicKey: otherKey })).toBe(false)
  })

  test('a note without a signature block is refused', () => {
    expect(verifyNote('go.sum database tree\n1\nabc=\n', verifier)).toBe(false)
    expect(verifyNote('', verifier)).toBe(false)
  })
})

describe('moduleHashFromLookup on a real sum.golang.org answer', () => {
  const lookup = (a: string, module = MODULE, version = VERSION): Promise<string> =>
    moduleHashFromLookup(a, module, version, verifier, tilesFromDisk)

  test('returns the module h1 (not the go.mod one)', async () => {
    await expect(lookup(answer)).resolves.toBe(EXPECTED_H1)
  })

  test('refuses the answer when asked for another version', async () => {
    for (const other of ['v0.0.1-go1.27.2.linux-amd64', 'v0.0.1-go1.27.3.linux-arm64'])
      await expect(lookup(answer, MODULE, other)).rejects.toThrow(ActionError)
    await expect(lookup(answer, MODULE, 'v0.0.1-go1.27.2.linux-amd64')).rejects.toThrow(
      /no h1: hash for golang\.org\/toolchain@v0\.0\.1-go1\.27\.2\.linux-amd64/
    )
  })

  test('refuses the answer when asked for another module', async () => {
    await expect(lookup(answer, 'golang.org/x/mod')).rejects.toThrow(ActionError)
  })

  test('refuses an answer whose note does not verify', async () => {
    const tampered = answer.replace(noteOf(answer), withNoteLine(noteOf(answer), 2, flipFirstChar))
    expect(tampered).not.toBe(answer)
    await expect(lookup(tampered)).rejects.toThrow(/not signed by sum\.golang\.org/)
  })

  // Whoever serves the lookup (ProxySource asks the GOPROXY that serves the zip) could pair a
  // genuine signed tree head with a record of their own: the inclusion proof refuses it.
  test('refuses a forged record under a genuine signed tree head', async () => {
    const forgedH1 = 'h1:' + Buffer.alloc(32, 7).toString('base64')
    const forged = answer.replace(EXPECTED_H1, forgedH1)
    expect(forged).not.toBe(answer)
    expect(verifyNote(noteOf(forged), verifier)).toBe(true) // the note itself is untouched
    await expect(lookup(forged)).rejects.toThrow(/is not in the tree of size 70835252/)
  })

  test('refuses an answer without a record/note separator', async () => {
    await expect(lookup('not found\n')).rejects.toThrow(/no record/)
  })
})
