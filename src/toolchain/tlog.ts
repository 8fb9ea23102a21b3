/**
 * Proof that a checksum database record is in the tree a signed tree head describes, following
 * golang.org/x/mod/sumdb/tlog (RFC 6962 Merkle trees, served as tiles of height 8).
 *
 * A tree of size N has leaves 0..N-1; the leaf hash of record n is SHA-256(0x00 || data) and an
 * interior node is SHA-256(0x01 || left || right). "Node (level, n)" below is the hash of the
 * complete subtree over leaves [n·2^level, (n+1)·2^level): tlog numbers the same hashes with
 * StoredHashIndex(level, n), which this file does not need because it never stores them.
 */
import { createHash } from 'node:crypto'
import { ActionError } from '../errors.js'

/** Reads a tile from the checksum database, given its path ("tile/8/0/x001/234.p/17"). */
export type TileFetcher = (path: string) => Promise<Uint8Array>

/** sum.golang.org serves tiles of height 8: each lists up to 256 hashes of one tree level. */
export const TILE_HEIGHT = 8
const TILE_WIDTH = 2 ** TILE_HEIGHT
const HASH_SIZE = 32

/** Trees this large would push the node arithmetic past Number.MAX_SAFE_INTEGER. */
const MAX_TREE_SIZE = 2 ** 50

interface Node {
  level: number
  n: number
}

/** A tile of height 8: up to 256 consecutive hashes at tree level 8·level, from hash 256·index. */
export interface Tile {
  level: number
  index: number
  width: number
}

const pow2 = (k: number): number => 2 ** k

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256')
  for (const part of parts) h.update(part)
  return h.digest()
}

/** tlog.RecordHash: the leaf hash of a record's data. */
export function recordHash(data: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0x00), data)
}

/** tlog.NodeHash: the hash of an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(Uint8Array.of(0x01), left, right)
}

function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}

/** The largest power of two strictly below n (n ≥ 2), and its log₂: where RFC 6962 splits [0, n). */
function split(n: number): { k: number; level: number } {
  let level = 0
  while (pow2(level + 1) < n) level++
  return { k: pow2(level), level }
}

/** The complete subtrees that make up leaves [lo, hi), left to right (tlog's subTreeIndex). */
function subtreeNodes(lo: number, hi: number): Node[] {
  const nodes: Node[] = []
  while (lo < hi) {
    const { k, level } = split(hi - lo + 1) // the largest power of two ≤ hi - lo
    if (lo % k !== 0) throw new Error(`tlog: bad math in subtreeNodes(${lo}, ${hi})`)
    nodes.push({ level, n: lo / k })
    lo += k
  }
  return nodes
}

/** The hash of leaves [lo, hi) from the hashes of subtreeNodes(lo, hi) (tlog's subTreeHash). */
function subtreeHash(hashes: Uint8Array[]): Uint8Array {
  let h = hashes.at(-1)
  if (!h) throw new Error('tlog: no hashes for a subtree')
  for (let i = hashes.length - 2; i >= 0; i--) h = nodeHash(hashes[i] as Uint8Array, h)
  return h
}

/**
 * The walk from the root of a tree of size t down to leaf n: at each split, whether n lies in the
 * left part and the leaves of the part not taken. Top first.
 */
function pathToLeaf(t: number, n: number): { left: boolean; lo: number; hi: number }[] {
  const steps: { left: boolean; lo: number; hi: number }[] = []
  let lo = 0
  let hi = t
  while (hi - lo > 1) {
    const { k } = split(hi - lo)
    if (n < lo + k) {
      steps.push({ left: true, lo: lo + k, hi })
      hi = lo + k
    } else {
      steps.push({ left: false, lo, hi: lo + k })
      lo += k
    }
  }
  return steps
}

/**
 * The nodes an inclusion proof of leaf n in a tree of size t is made of (tlog's leafProofIndex):
 * element i of the proof, counted from the leaf up as in tlog.RecordProof, is the subtree hash of
 * the nodes in element i.
 */
function recordProofNodes(t: number, n: number): Node[][] {
  return pathToLeaf(t, n)
    .reverse()
    .map(step => subtreeNodes(step.lo, step.hi))
}

/**
 * tlog.CheckRecord: whether proof (sibling hashes from the leaf up) shows that the tree of size t
 * with root hash root has leafHash as its leaf n.
 */
export function checkRecord(
  proof: Uint8Array[],
  t: number,
  root: Uint8Array,
  n: number,
  leafHash: Uint8Array
): boolean {
  if (!(Number.isSafeInteger(t) && Number.isSafeInteger(n) && 0 <= n && n < t)) return false
  const steps = pathToLeaf(t, n).reverse()
  if (proof.length !== steps.length) return false
  let h = leafHash
  steps.forEach((step, i) => {
    const sibling = proof[i] as Uint8Array
    h = step.left ? nodeHash(h, sibling) : nodeHash(sibling, h)
  })
  return equalHashes(h, root)
}

/** The tile coordinate path: tile/8/<level>/<index in 3-digit groups, all but the last x-prefixed>[.p/<width>]. */
export function tilePath(tile: Tile): string {
  let n = tile.index
  let digits = String(n % 1000).padStart(3, '0')
  while (n >= 1000) {
    n = Math.floor(n / 1000)
    digits = `x${String(n % 1000).padStart(3, '0')}/${digits}`
  }
  const partial = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`
  return `tile/${TILE_HEIGHT}/${tile.level}/${digits}${partial}`
}

/**
 * Where node lives in the tiles of a tree of size t: the widest tile the tree has there (full,
 * or partial at the tree's right edge, as tlog's tileParent(…, 0, t)) and the run of hashes in
 * it whose subtree hash is the node (as tlog's tileForIndex).
 */
function locate(node: Node, t: number): { tile: Tile; first: number; count: number } {
  const level = Math.floor(node.level / TILE_HEIGHT)
  const count = pow2(node.level - level * TILE_HEIGHT) // hashes of the tile's level under node
  const offset = node.n * count // position of the first of them in that tree level
  const index = Math.floor(offset / TILE_WIDTH)
  const available = Math.floor(t / pow2(level * TILE_HEIGHT)) - index * TILE_WIDTH
  const tile = { level, index, width: Math.min(TILE_WIDTH, available) }
  const first = offset - index * TILE_WIDTH
  if (first + count > tile.width)
    throw new Error(`tlog: node (${node.level}, ${node.n}) is not in a tree of size ${t}`)
  return { tile, first, count }
}

/** tlog's tileHash: the hash of the complete subtree whose leaves are the 2^k hashes in data. */
function tileHash(data: Uint8Array): Uint8Array {
  if (data.length === HASH_SIZE) return data
  const half = data.length / 2
  return nodeHash(tileHash(data.subarray(0, half)), tileHash(data.subarray(half)))
}

/**
 * Reads a tile. Like the go command, a partial tile the server no longer has is read as the
 * prefix of the full tile (the tree has grown and completed it since).
 */
async function readTile(tile: Tile, fetchTile: TileFetcher): Promise<Uint8Array> {
  const want = tile.width * HASH_SIZE
  const checked = (path: string, data: Uint8Array, size: number): Uint8Array => {
    if (data.length !== size)
      throw new ActionError(`checksum database tile ${path} has ${data.length} bytes, not ${size}`)
    return data.subarray(0, want)
  }
  const path = tilePath(tile)
  try {
    return checked(path, await fetchTile(path), want)
  } catch (error) {
    if (tile.width === TILE_WIDTH) throw error
    const fullPath = tilePath({ ...tile, width: TILE_WIDTH })
    let full: Uint8Array
    try {
      full = await fetchTile(fullPath)
    } catch {
      throw error
    }
    return checked(fullPath, full, TILE_WIDTH * HASH_SIZE)
  }
}

/**
 * Proves, from the checksum database's tiles, that recordData is record recordId of the tree of
 * size treeSize with root hash rootHash (what the go command's sumdb client checks of every
 * lookup). Fetches each tile the proof needs once, in parallel: full tiles where the tree has
 * them, partial ones (.p/W) at its right edge.
 *
 * Resolves false if the record is not in that tree. Throws if the inputs are malformed or a tile
 * cannot be read or has the wrong size.
 */
export async function verifyInclusion(opts: {
  recordId: number
  recordData: Uint8Array
  treeSize: number
  rootHash: Uint8Array
  fetchTile: TileFetcher
}): Promise<boolean> {
  const { recordId, recordData, treeSize, rootHash, fetchTile } = opts
  if (!Number.isSafeInteger(treeSize) || treeSize < 1 || treeSize > MAX_TREE_SIZE)
    throw new ActionError(`checksum database tree size ${treeSize} is out of range`)
  if (!Number.isSafeInteger(recordId) || recordId < 0 || recordId >= treeSize)
    throw new ActionError(
      `cannot validate checksum database record ${recordId} in a tree of size ${treeSize}`
    )
  if (rootHash.length !== HASH_SIZE)
    throw new ActionError(`checksum database tree hash has ${rootHash.length} bytes, not 32`)

  const proofNodes = recordProofNodes(treeSize, recordId)
  const tiles = new Map<string, Promise<Uint8Array>>()
  const located = proofNodes.map(nodes =>
    nodes.map(node => {
      const { tile, first, count } = locate(node, treeSize)
      const path = tilePath(tile)
      if (!tiles.has(path)) tiles.set(path, readTile(tile, fetchTile))
      return { path, first, count }
    })
  )
  const data = new Map<string, Uint8Array>()
  await Promise.all(
    [...tiles].map(async ([path, tile]) => {
      data.set(path, await tile)
    })
  )

  const proof = located.map(element =>
    subtreeHash(
      element.map(({ path, first, count }) =>
        tileHash(
          (data.get(path) as Uint8Array).subarray(first * HASH_SIZE, (first + count) * HASH_SIZE)
        )
      )
    )
  )
  return checkRecord(proof, treeSize, rootHash, recordId, recordHash(recordData))
}

/** tlog.ParseTree: the size and root hash a signed tree head's text gives ("go.sum database tree\nN\nhash\n"). */
export function parseTree(text: string): { size: number; hash: Uint8Array } {
  const [header, size, hash, rest] = text.split('\n', 4)
  const raw = Buffer.from(hash ?? '', 'base64')
  if (
    header !== 'go.sum database tree' ||
    rest === undefined ||
    !/^\d{1,16}$/.test(size ?? '') ||
    raw.length !== HASH_SIZE ||
    raw.toString('base64') !== hash
  )
    throw new ActionError(`malformed checksum database tree: ${JSON.stringify(text.slice(0, 200))}`)
  return { size: Number(size), hash: raw }
}

/**
 * Checks that the record of a lookup answer ("<id>\n<record lines>\n\n<signed note>") is in the
 * tree its note describes, reading tiles with fetchTile (paths relative to the database's base
 * URL). The note's signature must have been checked already (sumdb.ts's verifyNote, through
 * moduleHashFromLookup): this trusts the tree it names and proves the record against it.
 * Throws an ActionError if the record is not in the tree.
 */
export async function verifyLookupInclusion(answer: string, fetchTile: TileFetcher): Promise<void> {
  const newline = answer.indexOf('\n')
  const blank = answer.indexOf('\n\n')
  const id = answer.slice(0, newline)
  // tlog.ParseRecord: the id line, then record lines up to the first blank line, each ending in \n.
  if (newline < 0 || blank <= newline || !/^\d{1,16}$/.test(id))
    throw new ActionError(
      `malformed checksum database lookup answer: ${JSON.stringify(answer.slice(0, 200))}`
    )
  const record = answer.slice(newline + 1, blank + 1)
  // The same split as moduleHashFromLookup and verifyNote: the signed text ends at the note's last blank line.
  const note = answer.slice(blank + 2)
  const tree = parseTree(note.slice(0, note.lastIndexOf('\n\n') + 1))
  const included = await verifyInclusion({
    recordId: Number(id),
    recordData: Buffer.from(record, 'utf8'),
    treeSize: tree.size,
    rootHash: tree.hash,
    fetchTile
  })
  if (!included) {
    throw new ActionError(
      `the checksum database's record ${id} is not in the tree of size ${tree.size} it is signed with; refusing it`
    )
  }
}
