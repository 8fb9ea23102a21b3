import { beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { ActionError } from '../../src/errors.js'
import { parseVerifierKey, SUM_GOLANG_ORG_KEY, verifyNote } from '../../src/toolchain/sumdb.js'
import {
  checkRecord,
  parseTree,
  recordHash,
  type TileFetcher,
  tilePath,
  verifyInclusion,
  verifyLookupInclusion
} from '../../src/toolchain/tlog.js'

// An independent Merkle tree (RFC 6962 §2.1), written from the definition, not from tlog.ts.

const sha = (...parts: Uint8Array[]): Buffer => {
  const h = createHash('sha256')
  for (const part of parts) h.update(part)
  return h.digest()
}
const leafOf = (data: Uint8Array): Buffer => sha(Buffer.of(0), data)
const interior = (l: Uint8Array, r: Uint8Array): Buffer => sha(Buffer.of(1), l, r)
const recordData = (i: number): Buffer => Buffer.from(`example.com/m${i} v1.0.0 h1:${i}=\n`)

interface TestTree {
  size: number
  root: Buffer
  tiles: Map<string, Buffer>
}

/** MTH(D[lo:hi]) over the leaf hashes, straight from the RFC's recursive definition. */
function mth(leaves: Buffer[], lo: number, hi: number): Buffer {
  if (hi - lo === 1) return leaves[lo] as Buffer
  let k = 1
  while (k * 2 < hi - lo) k *= 2
  return interior(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi))
}

/** "x001/x234/067": the number in 3-digit groups, all but the last prefixed with x. */
function groups(n: number): string {
  const parts: string[] = []
  do {
    parts.unshift(String(n % 1000).padStart(3, '0'))
    n = Math.floor(n / 1000)
  } while (n > 0)
  return parts.map((p, i) => (i < parts.length - 1 ? `x${p}` : p)).join('/')
}

/**
 * Builds a tree of records 0..size-1 and every tile its database would serve: at tile level L, the
 * hashes of the complete subtrees of 2^(8L) leaves, 256 to a tile, the last one partial.
 */
function buildTree(size: number): TestTree {
  const leaves = Array.from({ length: size }, (_, i) => leafOf(recordData(i)))
  const tiles = new Map<string, Buffer>()
  let row = leaves // hashes of the complete subtrees at the current tree level
  for (let treeLevel = 0; row.length > 0; treeLevel++) {
    if (treeLevel % 8 === 0) {
      for (let start = 0; start < row.length; start += 256) {
        const hashes = row.slice(start, start + 256)
        const partial = hashes.length < 256 ? `.p/${hashes.length}` : ''
        tiles.set(`tile/8/${treeLevel / 8}/${groups(start / 256)}${partial}`, Buffer.concat(hashes))
      }
    }
    const next: Buffer[] = []
    for (let i = 0; i + 1 < row.length; i += 2)
      next.push(interior(row[i] as Buffer, row[i + 1] as Buffer))
    row = next
  }
  return { size, root: mth(leaves, 0, size), tiles }
}

/** Serves tiles from a map, recording each path asked for. */
function serve(tiles: Map<string, Uint8Array>, asked: string[] = []): TileFetcher {
  return async path => {
    asked.push(path)
    const tile = tiles.get(path)
    if (!tile) throw new Error(`404 ${path}`)
    return tile
  }
}

const verify = (tree: TestTree, id: number, data = recordData(id), root = tree.root) =>
  verifyInclusion({
    recordId: id,
    recordData: data,
    treeSize: tree.size,
    rootHash: root,
    fetchTile: serve(tree.tiles)
  })

describe('recordHash', () => {
  test('is SHA-256 of 0x00 and the data', () => {
    const data = Buffer.from('golang.org/x/text v0.3.0 h1:abc=\n')
    expect(Buffer.from(recordHash(data))).toEqual(leafOf(data))
    expect(Buffer.from(recordHash(Buffer.alloc(0))).toString('hex')).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d'
    )
  })
})

describe('tilePath', () => {
  test.each([
    [{ level: 0, index: 0, width: 256 }, 'tile/8/0/000'],
    [{ level: 0, index: 0, width: 1 }, 'tile/8/0/000.p/1'],
    [{ level: 2, index: 999, width: 255 }, 'tile/8/2/999.p/255'],
    [{ level: 1, index: 1000, width: 256 }, 'tile/8/1/x001/000'],
    [{ level: 0, index: 276700, width: 52 }, 'tile/8/0/x276/700.p/52'],
    [{ level: 3, index: 1234067, width: 17 }, 'tile/8/3/x001/x234/067.p/17']
  ])('%j is %s', (tile, expected) => {
    expect(tilePath(tile)).toBe(expected)
  })
})

describe('verifyInclusion against a tree built in the test', () => {
  test.each([1, 2, 3, 255, 256, 257, 600])('every record of a tree of size %i', async size => {
    const tree = buildTree(size)
    for (let id = 0; id < size; id++) await expect(verify(tree, id)).resolves.toBe(true)
  })

  test('records across level-1 and level-2 tiles of a tree of size 70001', async () => {
    const tree = buildTree(70_001)
    expect(tree.tiles.has('tile/8/2/000.p/1')).toBe(true)
    expect(tree.tiles.has('tile/8/1/001.p/17')).toBe(true)
    for (const id of [0, 1, 255, 256, 65_535, 65_536, 69_887, 69_888, 69_999, 70_000])
      await expect(verify(tree, id)).resolves.toBe(true)
  })

  test.each([1, 3, 256, 257, 600])(
    'a wrong record, id or root in a tree of size %i fails',
    async size => {
      const tree = buildTree(size)
      const last = size - 1
      await expect(verify(tree, last, recordData(last + 1))).resolves.toBe(false)
      await expect(verify(tree, 0, Buffer.from(recordData(0).toString().trimEnd()))).resolves.toBe(
        false
      )
      if (size > 1) await expect(verify(tree, 0, recordData(1))).resolves.toBe(false)
      const wrongRoot = Buffer.from(tree.root)
      wrongRoot[31] = (wrongRoot[31] as number) ^ 1
      await expect(verify(tree, last, recordData(last), wrongRoot)).resolves.toBe(false)
      // The root of a smaller tree is not the root of this one.
      if (size > 1)
        await expect(verify(tree, 0, recordData(0), buildTree(size - 1).root)).resolves.toBe(false)
    }
  )

  test('a tampered tile fails the proof', async () => {
    const tree = buildTree(600)
    const tiles = new Map(tree.tiles)
    const tile = Buffer.from(tiles.get('tile/8/0/000') as Buffer)
    tile[32 * 7] = (tile[32 * 7] as number) ^ 1 // leaf 7: a sibling on leaf 6's path
    tiles.set('tile/8/0/000', tile)
    const run = (id: number) =>
      verifyInclusion({
        recordId: id,
        recordData: recordData(id),
        treeSize: tree.size,
        rootHash: tree.root,
        fetchTile: serve(tiles)
      })
    await expect(run(6)).resolves.toBe(false) // leaf 7 is its sibling
    await expect(run(0)).resolves.toBe(false) // its proof hashes leaves 4..7 together
    await expect(run(7)).resolves.toBe(true) // a proof never uses the leaf's own stored hash
    await expect(run(300)).resolves.toBe(true) // reads leaves 0..255 as one hash from tile/8/1
  })

  test('fetches each tile it needs once: full ones inside the tree, partial ones at its edge', async () => {
    const tree = buildTree(600)
    const asked: string[] = []
    await verifyInclusion({
      recordId: 3,
      recordData: recordData(3),
      treeSize: 600,
      rootHash: tree.root,
      fetchTile: serve(tree.tiles, asked)
    })
    expect(asked.sort()).toEqual(['tile/8/0/000', 'tile/8/0/002.p/88', 'tile/8/1/000.p/2'])

    asked.length = 0
    await verifyInclusion({
      recordId: 599,
      recordData: recordData(599),
      treeSize: 600,
      rootHash: tree.root,
      fetchTile: serve(tree.tiles, asked)
    })
    expect(asked.sort()).toEqual(['tile/8/0/002.p/88', 'tile/8/1/000.p/2'])
  })

  test('a tree of size 1 needs no tiles', async () => {
    const asked: string[] = []
    await expect(
      verifyInclusion({
        recordId: 0,
        recordData: recordData(0),
        treeSize: 1,
        rootHash: leafOf(recordData(0)),
        fetchTile: serve(new Map(), asked)
      })
    ).resolves.toBe(true)
    expect(asked).toEqual([])
  })

  test('reads a partial tile the server no longer has from the full tile, as the go command does', async () => {
    // The tiles of a tree that has grown from 300 to 600 records: 001.p/44 is now 001.
    const older = buildTree(300)
    const newer = buildTree(600)
    expect(newer.tiles.has('tile/8/0/001.p/44')).toBe(false)
    const asked: string[] = []
    await expect(
      verifyInclusion({
        recordId: 10,
        recordData: recordData(10),
        treeSize: 300,
        rootHash: older.root,
        fetchTile: serve(newer.tiles, asked)
      })
    ).resolves.toBe(true)
    expect(asked.sort()).toEqual(['tile/8/0/000', 'tile/8/0/001', 'tile/8/0/001.p/44'])
  })

  test('throws on a tile of the wrong size, a failed fetch, or a record outside the tree', async () => {
    const tree = buildTree(257)
    const short = new Map(tree.tiles)
    short.set('tile/8/0/000', (tree.tiles.get('tile/8/0/000') as Buffer).subarray(0, 8160))
    await expect(
      verifyInclusion({
        recordId: 0,
        recordData: recordData(0),
        treeSize: 257,
        rootHash: tree.root,
        fetchTile: serve(short)
      })
    ).rejects.toThrow('tile/8/0/000 has 8160 bytes, not 8192')
    await expect(
      verifyInclusion({
        recordId: 0,
        recordData: recordData(0),
        treeSize: 257,
        rootHash: tree.root,
        fetchTile: serve(new Map())
      })
    ).rejects.toThrow('404 tile/8/0/000')
    await expect(verify(tree, 257)).rejects.toThrow(
      'cannot validate checksum database record 257 in a tree of size 257'
    )
    await expect(verify(tree, -1)).rejects.toThrow(ActionError)
  })
})

describe('checkRecord', () => {
  test('takes the sibling hashes from the leaf up', () => {
    const leaves = [0, 1, 2].map(i => leafOf(recordData(i)))
    const [a, b, c] = leaves as [Buffer, Buffer, Buffer]
    const root = interior(interior(a, b), c)
    expect(checkRecord([b, c], 3, root, 0, a)).toBe(true)
    expect(checkRecord([a, c], 3, root, 1, b)).toBe(true)
    expect(checkRecord([interior(a, b)], 3, root, 2, c)).toBe(true)
    expect(checkRecord([c, b], 3, root, 0, a)).toBe(false)
    expect(checkRecord([b], 3, root, 0, a)).toBe(false)
    expect(checkRecord([b, c, c], 3, root, 0, a)).toBe(false)
    expect(checkRecord([b, c], 3, root, 3, a)).toBe(false)
  })
})

describe('a real sum.golang.org record and its tiles', () => {
  // testdata/unit/sumdb-lookup-toolchain-go1.27.3.txt: record 69478030 in the tree of size 70835252.
  // testdata/unit/tlog/tile/…: the tiles its proof needs, saved from
  // https://proxy.golang.org/sumdb/sum.golang.org/tile/… under the same paths.
  const testdata = path.join(import.meta.dirname, '../../testdata/unit')
  const TILES = [
    'tile/8/0/x271/398',
    'tile/8/0/x276/700.p/52',
    'tile/8/1/x001/060',
    'tile/8/1/x001/080.p/220',
    'tile/8/2/004.p/56',
    'tile/8/3/000.p/4'
  ]
  let answer: string
  let forged: string
  const fromDisk =
    (asked: string[] = []): TileFetcher =>
    async tile => {
      asked.push(tile)
      if (!TILES.includes(tile)) throw new Error(`no fixture for ${tile}`)
      return readFile(path.join(testdata, 'tlog', tile))
    }

  beforeAll(async () => {
    answer = await readFile(path.join(testdata, 'sumdb-lookup-toolchain-go1.27.3.txt'), 'utf8')
    // One character of the module zip's h1: changed.
    forged = answer.replace('h1:r0ub+', 'h1:r1ub+')
    expect(forged).not.toBe(answer)
  })

  test('the record is in the signed tree, proven with exactly the saved tiles', async () => {
    const asked: string[] = []
    await expect(verifyLookupInclusion(answer, fromDisk(asked))).resolves.toBeUndefined()
    expect(asked.sort()).toEqual(TILES)
  })

  test('parses the tree from the note', () => {
    const note = answer.slice(answer.indexOf('\n\n') + 2)
    const tree = parseTree(note.slice(0, note.lastIndexOf('\n\n') + 1))
    expect(tree.size).toBe(70_835_252)
    expect(Buffer.from(tree.hash).toString('base64')).toBe(
      'i/47wIAMOilgNhOrV2EcYgX2bQrKd0NLTxkgv0yNjLA='
    )
  })

  test('a forged record passes the signature check but not the inclusion proof', async () => {
    const verifier = parseVerifierKey(SUM_GOLANG_ORG_KEY)
    // The gap this closes: the note's signature says nothing of the record beside it.
    expect(verifyNote(forged.slice(forged.indexOf('\n\n') + 2), verifier)).toBe(true)
    expect(forged).toContain('h1:r1ub+FnqzZxoWm/dSUOI9DcIqYWn/mNYGFJcv7PyBzs=')
    await expect(verifyLookupInclusion(forged, fromDisk())).rejects.toThrow(
      "the checksum database's record 69478030 is not in the tree of size 70835252"
    )
    await expect(verifyLookupInclusion(forged, fromDisk())).rejects.toThrow(ActionError)
  })

  test('the genuine record under another id, or against another root, is not included', async () => {
    const data = answer.slice(answer.indexOf('\n') + 1, answer.indexOf('\n\n') + 1)
    const note = answer.slice(answer.indexOf('\n\n') + 2)
    const tree = parseTree(note.slice(0, note.lastIndexOf('\n\n') + 1))
    const run = (recordId: number, rootHash: Uint8Array) =>
      verifyInclusion({
        recordId,
        recordData: Buffer.from(data),
        treeSize: tree.size,
        rootHash,
        fetchTile: fromDisk()
      })
    await expect(run(69_478_030, tree.hash)).resolves.toBe(true)
    await expect(run(69_478_031, tree.hash)).resolves.toBe(false)
    const otherRoot = Buffer.from(tree.hash)
    otherRoot[0] = (otherRoot[0] as number) ^ 1
    await expect(run(69_478_030, otherRoot)).resolves.toBe(false)
  })

  test('rejects malformed answers and trees', async () => {
    await expect(verifyLookupInclusion('69478030\n\ngo.sum…', fromDisk())).rejects.toThrow(
      'malformed checksum database lookup answer'
    )
    await expect(verifyLookupInclusion(answer.replace(/^\d+/, 'x'), fromDisk())).rejects.toThrow(
      'malformed checksum database lookup answer'
    )
    expect(() => parseTree('go.sum database tree\n12\nnot-a-hash\n')).toThrow(
      'malformed checksum database tree'
    )
    expect(() => parseTree('go.sum database tree\n12\n')).toThrow(
      'malformed checksum database tree'
    )
  })
})
