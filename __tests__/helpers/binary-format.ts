// Reads what an executable's own headers say about its target, so tests can prove that a binary
// built "for linux/arm64" really is one (a file name proves nothing).
//
// Facts this relies on, checked against Go 1.26 output:
//
// - ELF: e_ident[EI_CLASS] gives 32/64 bits, e_ident[EI_DATA] the byte order, e_machine the CPU.
//   Go writes EI_OSABI = 0 (System V) for linux, and also for dragonfly, solaris, illumos and
//   android; only freebsd (9), netbsd (2) and openbsd (12) get their own value. So an ELF with
//   OS/ABI 0 (or 3, GNU/Linux) is reported as "linux" unless its program interpreter (PT_INTERP) is
//   a loader that is not Linux's (solaris/illumos: /lib/amd64/ld.so.1, android:
//   /system/bin/linker64). A static dragonfly binary is indistinguishable from a linux one.
// - ELF, GOARM: Go's internal linker writes NO .ARM.attributes section, and e_flags is always
//   0x5000002 (EABI version 5, "has entry point") with neither EF_ARM_ABI_FLOAT_SOFT nor _HARD set, for
//   every GOARM. (Externally linked cgo binaries get .ARM.attributes from the C toolchain, which
//   describe the C compiler's -march, not GOARM.) The headers therefore do not record GOARM. What
//   does is Go's build info (the `.go.buildinfo` blob `go version -m` reads, kept by -s -w): it
//   holds `build GOARM=7` (or `7,softfloat`). `goarm` and `armFloatAbi` come from there, and say what
//   the go command was asked for. For proof at the instruction level run the binary under qemu with
//   an older CPU (see runForeign's `cpu` option: a GOARM=7 binary dies with SIGILL on arm1136).
// - PE: "MZ", e_lfanew at 0x3c, "PE\0\0", then the COFF Machine; the optional header's magic
//   (0x10b PE32, 0x20b PE32+) gives the bits.
// - Mach-O: magic 0xfeedfacf (64-bit) / 0xfeedface (32-bit), read in either byte order, then
//   cputype. Go writes an LC_BUILD_VERSION with platform 1 (macOS, minos 12.0 in Go 1.26); a
//   binary naming another platform (iOS, ...) is reported as os "other".
import { readFile } from 'node:fs/promises'

export interface BinaryInfo {
  format: 'elf' | 'pe' | 'macho'
  os: 'linux' | 'windows' | 'darwin' | 'other'
  /** Go GOARCH: amd64, arm64, arm, 386, ppc64le, ppc64, s390x, riscv64, mips*, loong64. */
  arch: string
  bits: 32 | 64
  littleEndian: boolean
  /**
   * ARM only. From e_flags when it says (cgo binaries linked by a C toolchain), else from the Go
   * build info: GOARM=5 or ",softfloat" → soft, GOARM=6/7 or ",hardfloat" → hard.
   */
  armFloatAbi?: 'hard' | 'soft'
  /** ARM only: the GOARM number from the Go build info (Go writes no .ARM.attributes). */
  goarm?: number
  /** ELF only: true when there is no PT_INTERP program header. */
  static?: boolean
  /** ELF only: the PT_INTERP path, e.g. /lib64/ld-linux-x86-64.so.2. */
  interpreter?: string
  /** From the Go build info when present, e.g. "go1.26.8". */
  goVersion?: string
  /** The `build` lines of the Go build info, e.g. { GOOS: 'linux', GOARM: '7', '-trimpath': 'true' }. */
  goBuildSettings?: Record<string, string>
}

export async function readBinaryInfo(file: string): Promise<BinaryInfo> {
  const buf = await readFile(file)
  let info: BinaryInfo
  if (buf.length >= 4 && buf.readUInt32BE(0) === 0x7f454c46) {
    info = parseElf(buf, file)
  } else if (buf.length >= 2 && buf.toString('latin1', 0, 2) === 'MZ') {
    info = parsePe(buf, file)
  } else if (buf.length >= 4 && MACHO_MAGICS.has(buf.readUInt32BE(0))) {
    info = parseMachO(buf, file)
  } else if (buf.length >= 4 && buf.readUInt32BE(0) === 0xcafebabe) {
    throw new Error(
      `${file}: universal (fat) Mach-O files are not supported (or this is a Java class)`
    )
  } else if (buf.toString('latin1', 0, 8) === '!<arch>\n') {
    throw new Error(
      `${file}: an ar archive, not an executable (\`go build -o\` of a non-main package writes one)`
    )
  } else {
    const head = buf.subarray(0, 8).toString('hex') || 'nothing: the file is empty'
    throw new Error(`${file}: not an ELF, PE or Mach-O executable (starts with ${head})`)
  }

  const go = readGoBuildInfo(buf)
  if (go) {
    info.goVersion = go.version
    info.goBuildSettings = go.settings
    const goarm = go.settings.GOARM
    if (info.arch === 'arm' && goarm) {
      const [level, float] = goarm.split(',')
      const n = Number(level)
      if (Number.isInteger(n)) info.goarm = n
      if (!info.armFloatAbi) {
        if (float === 'softfloat' || float === 'hardfloat') {
          info.armFloatAbi = float === 'softfloat' ? 'soft' : 'hard'
        } else if (Number.isInteger(n)) {
          info.armFloatAbi = n <= 5 ? 'soft' : 'hard'
        }
      }
    }
  }
  return info
}

// ---------------------------------------------------------------------------------------- ELF

const ELFOSABI_SYSV = 0
const ELFOSABI_GNU = 3
const PT_INTERP = 3
const EF_ARM_ABI_FLOAT_SOFT = 0x200
const EF_ARM_ABI_FLOAT_HARD = 0x400

function parseElf(buf: Buffer, file: string): BinaryInfo {
  const cls = buf[4]
  const data = buf[5]
  if (cls !== 1 && cls !== 2) throw new Error(`${file}: ELF with unknown EI_CLASS ${cls}`)
  if (data !== 1 && data !== 2) throw new Error(`${file}: ELF with unknown EI_DATA ${data}`)
  const bits = cls === 2 ? 64 : 32
  const le = data === 1
  need(buf, bits === 64 ? 64 : 52, file, 'ELF header')
  const r = reader(buf, le)

  const machine = r.u16(18)
  const arch = elfArch(machine, bits, le, file)
  const flags = r.u32(bits === 64 ? 0x30 : 0x24)

  // Program headers: only PT_INTERP matters (static or not, and which loader).
  const phoff = bits === 64 ? r.u64(0x20) : r.u32(0x1c)
  const phentsize = r.u16(bits === 64 ? 0x36 : 0x2a)
  const phnum = r.u16(bits === 64 ? 0x38 : 0x2c)
  let interpreter: string | undefined
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize
    need(buf, ph + (bits === 64 ? 56 : 32), file, `program header ${i}`)
    if (r.u32(ph) !== PT_INTERP) continue
    const off = bits === 64 ? r.u64(ph + 8) : r.u32(ph + 4)
    const size = bits === 64 ? r.u64(ph + 32) : r.u32(ph + 16)
    need(buf, off + size, file, 'PT_INTERP contents')
    interpreter = buf.toString('latin1', off, off + size).replace(/\0.*$/s, '')
  }

  const osabi = buf[7]
  const linuxAbi = osabi === ELFOSABI_SYSV || osabi === ELFOSABI_GNU
  const os =
    linuxAbi && (interpreter === undefined || isLinuxLoader(interpreter)) ? 'linux' : 'other'

  const info: BinaryInfo = {
    format: 'elf',
    os,
    arch,
    bits,
    littleEndian: le,
    static: interpreter === undefined
  }
  if (interpreter !== undefined) info.interpreter = interpreter
  if (arch === 'arm') {
    if (flags & EF_ARM_ABI_FLOAT_HARD) info.armFloatAbi = 'hard'
    else if (flags & EF_ARM_ABI_FLOAT_SOFT) info.armFloatAbi = 'soft'
  }
  return info
}

/** glibc (ld-linux*, ld64.so.1/2 on ppc64/s390x, ld.so.1 on mips/ppc) and musl loaders. */
function isLinuxLoader(interp: string): boolean {
  return /^\/(usr\/)?lib(32|64|x32)?\/(ld-linux[\w.-]*\.so\.\d+|ld-musl-[\w.-]+\.so\.1|ld64\.so\.[12]|ld\.so\.1)$/.test(
    interp
  )
}

function elfArch(machine: number, bits: 32 | 64, le: boolean, file: string): string {
  const pick = (b32: string | undefined, b64: string | undefined): string => {
    const arch = bits === 64 ? b64 : b32
    if (!arch)
      throw new Error(`${file}: ELF e_machine ${machine} with ${bits}-bit class is not a Go target`)
    return arch
  }
  switch (machine) {
    case 62: // EM_X86_64
      return pick(undefined, 'amd64')
    case 183: // EM_AARCH64
      return pick(undefined, 'arm64')
    case 40: // EM_ARM
      return pick('arm', undefined)
    case 3: // EM_386
      return pick('386', undefined)
    case 21: // EM_PPC64
      return pick(undefined, le ? 'ppc64le' : 'ppc64')
    case 22: // EM_S390
      return pick(undefined, 's390x')
    case 243: // EM_RISCV
      return pick(undefined, 'riscv64')
    case 8: // EM_MIPS
      return le ? pick('mipsle', 'mips64le') : pick('mips', 'mips64')
    case 258: // EM_LOONGARCH
      return pick(undefined, 'loong64')
    default:
      throw new Error(`${file}: ELF for unknown machine e_machine=${machine} (${bits}-bit)`)
  }
}

// ----------------------------------------------------------------------------------------- PE

const PE_MACHINES: Record<number, { arch: string; bits: 32 | 64 }> = {
  0x8664: { arch: 'amd64', bits: 64 },
  0xaa64: { arch: 'arm64', bits: 64 },
  0x14c: { arch: '386', bits: 32 },
  0x1c4: { arch: 'arm', bits: 32 } // IMAGE_FILE_MACHINE_ARMNT
}

function parsePe(buf: Buffer, file: string): BinaryInfo {
  need(buf, 0x40, file, 'MZ header')
  const pe = buf.readUInt32LE(0x3c)
  need(buf, pe + 26, file, 'PE header')
  if (buf.readUInt32BE(pe) !== 0x50450000) {
    throw new Error(
      `${file}: MZ file without a "PE\\0\\0" signature at e_lfanew=0x${pe.toString(16)}`
    )
  }
  const machine = buf.readUInt16LE(pe + 4)
  const known = PE_MACHINES[machine]
  if (!known) throw new Error(`${file}: PE for unknown Machine 0x${machine.toString(16)}`)
  const magic = buf.readUInt16LE(pe + 24)
  const bits = magic === 0x20b ? 64 : magic === 0x10b ? 32 : undefined
  if (bits !== known.bits) {
    throw new Error(
      `${file}: PE Machine 0x${machine.toString(16)} (${known.arch}) with optional-header magic 0x${magic.toString(16)}`
    )
  }
  return { format: 'pe', os: 'windows', arch: known.arch, bits, littleEndian: true }
}

// ------------------------------------------------------------------------------------- Mach-O

const MACHO_MAGICS = new Set([0xfeedfacf, 0xcffaedfe, 0xfeedface, 0xcefaedfe])
const MACHO_CPUS: Record<number, { arch: string; bits: 32 | 64 }> = {
  0x01000007: { arch: 'amd64', bits: 64 }, // CPU_TYPE_X86_64
  0x0100000c: { arch: 'arm64', bits: 64 }, // CPU_TYPE_ARM64
  7: { arch: '386', bits: 32 }, // CPU_TYPE_X86
  12: { arch: 'arm', bits: 32 } // CPU_TYPE_ARM
}
const LC_BUILD_VERSION = 0x32
const PLATFORM_MACOS = 1

function parseMachO(buf: Buffer, file: string): BinaryInfo {
  const magic = buf.readUInt32BE(0)
  const le = magic === 0xcffaedfe || magic === 0xcefaedfe
  const bits = magic === 0xfeedfacf || magic === 0xcffaedfe ? 64 : 32
  const headerSize = bits === 64 ? 32 : 28
  need(buf, headerSize, file, 'Mach-O header')
  const r = reader(buf, le)
  const cputype = r.u32(4)
  const known = MACHO_CPUS[cputype]
  if (!known) throw new Error(`${file}: Mach-O for unknown cputype 0x${cputype.toString(16)}`)
  if (known.bits !== bits) {
    throw new Error(`${file}: Mach-O cputype ${known.arch} in a ${bits}-bit header`)
  }

  // The platform in LC_BUILD_VERSION tells macOS from iOS & co; Go always writes one for darwin.
  let os: BinaryInfo['os'] = 'darwin'
  const ncmds = r.u32(16)
  let off = headerSize
  for (let i = 0; i < ncmds && off + 8 <= buf.length; i++) {
    const cmd = r.u32(off)
    const size = r.u32(off + 4)
    if (cmd === LC_BUILD_VERSION && off + 12 <= buf.length && r.u32(off + 8) !== PLATFORM_MACOS) {
      os = 'other'
    }
    if (size < 8) break
    off += size
  }
  return { format: 'macho', os, arch: known.arch, bits, littleEndian: le }
}

// -------------------------------------------------------------------------------- Go build info

const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1')
const FLAGS_VERSION_INL = 0x2

/**
 * Go's build info blob (what `go version -m` prints), written by Go 1.18+ in the "inline strings"
 * form: 14-byte magic, pointer size, flags, padding to 32 bytes, then the Go version and the module
 * info as uvarint-length-prefixed strings; the module info is wrapped in 16-byte sentinels. The
 * magic also appears as a plain string in programs that import debug/buildinfo, so every hit is
 * validated and the search goes on past bad ones.
 */
function readGoBuildInfo(
  buf: Buffer
): { version: string; settings: Record<string, string> } | undefined {
  for (let at = buf.indexOf(BUILDINFO_MAGIC); at >= 0; at = buf.indexOf(BUILDINFO_MAGIC, at + 1)) {
    if (at + 32 > buf.length) return undefined
    const ptrSize = buf[at + 14]
    const flags = buf[at + 15] ?? 0
    if ((ptrSize !== 4 && ptrSize !== 8) || !(flags & FLAGS_VERSION_INL)) continue
    const version = readVarString(buf, at + 32)
    if (!version || !/^(go\d|devel)/.test(version.value)) continue
    const mod = readVarString(buf, version.end)
    if (!mod) continue
    let modinfo = mod.value
    if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') {
      modinfo = modinfo.slice(16, -16)
    }
    const settings: Record<string, string> = {}
    for (const line of modinfo.split('\n')) {
      if (!line.startsWith('build\t')) continue
      const kv = line.slice('build\t'.length)
      const eq = kv.indexOf('=')
      if (eq <= 0) continue
      settings[unquoteGo(kv.slice(0, eq))] = unquoteGo(kv.slice(eq + 1))
    }
    return { version: version.value, settings }
  }
  return undefined
}

function readVarString(buf: Buffer, at: number): { value: string; end: number } | undefined {
  let len = 0
  let shift = 0
  let pos = at
  for (;;) {
    const b = buf[pos++]
    if (b === undefined || shift > 28) return undefined
    len += (b & 0x7f) * 2 ** shift
    shift += 7
    if (!(b & 0x80)) break
  }
  if (pos + len > buf.length) return undefined
  return { value: buf.toString('utf8', pos, pos + len), end: pos + len }
}

/** Go quotes keys/values holding spaces, tabs, quotes or "="; strconv.Quote output is JSON-like. */
function unquoteGo(s: string): string {
  if (!s.startsWith('"')) return s
  try {
    return JSON.parse(s) as string
  } catch {
    return s
  }
}

// ------------------------------------------------------------------------------------ helpers

function need(buf: Buffer, end: number, file: string, what: string): void {
  if (end > buf.length) {
    throw new Error(`${file}: truncated: ${what} ends at byte ${end}, file has ${buf.length}`)
  }
}

function reader(buf: Buffer, le: boolean) {
  return {
    u16: (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o)),
    u32: (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o)),
    u64: (o: number) => {
      const v = le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)
      if (v > BigInt(Number.MAX_SAFE_INTEGER))
        throw new Error(`offset 0x${v.toString(16)} too large`)
      return Number(v)
    }
  }
}
