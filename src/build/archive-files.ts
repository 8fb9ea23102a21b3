// The extra files of an archive (GoReleaser's archives[].files): globs over the project's folder,
// resolved when the archive is written (before hooks may have made them), as GoReleaser does.
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs'
import path from 'node:path'
import * as core from '@actions/core'
import type { ArchiveFile } from '../ship/spec.js'
import type { ArchiveEntry } from './artifacts.js'

/** A glob as a regular expression over slash-separated relative paths: * ? [..] {a,b} and **. */
export function globRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // **/ matches no folder or several; a trailing ** matches everything below.
        if (glob[i + 2] === '/') {
          re += '(?:[^/]*(?:/[^/]*)*/)?'
          i += 2
        } else {
          re += '.*'
          i += 1
        }
      } else re += '[^/]*'
    } else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')
        re += `[${body}]`
        i = end
      }
    } else if (c === '{') {
      const end = glob.indexOf('}', i)
      if (end < 0) re += '\\{'
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map(part => part.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`
        i = end
      }
    } else if (c === '\\' && i + 1 < glob.length) {
      re += (glob[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
    } else re += c.replace(/[.+^$()|\\/]/g, '\\$&')
  }
  return new RegExp(`^${re}$`)
}

/** The part of a glob before its first pattern character: the folder its matches are under. */
function staticPrefix(glob: string): string {
  const first = glob.search(/[*?[{]/)
  if (first < 0) return path.posix.dirname(glob)
  const head = glob.slice(0, first)
  return head.includes('/') ? head.slice(0, head.lastIndexOf('/')) : ''
}

/** Every regular file under root (relative, slash-separated), skipping .git and the output folder. */
function walk(root: string, skip: ReadonlySet<string>): string[] {
  const found: string[] = []
  const visit = (rel: string): void => {
    const abs = path.join(root, rel)
    let names: string[]
    try {
      names = readdirSync(abs)
    } catch {
      return
    }
    for (const name of names.sort()) {
      const child = rel ? `${rel}/${name}` : name
      const full = path.join(root, child)
      if (name === '.git' || skip.has(full)) continue
      const st = lstatSync(full)
      if (st.isDirectory()) visit(child)
      else if (st.isFile()) found.push(child)
      else if (st.isSymbolicLink()) {
        // A link is followed only to a file inside the project.
        try {
          const real = realpathSync(full)
          if (real.startsWith(realpathSync(root) + path.sep) && statSync(real).isFile())
            found.push(child)
        } catch {
          // A dangling link is no file.
        }
      }
    }
  }
  visit('')
  return found
}

/**
 * The archive entries of the files a GoReleaser file lists: each glob's matches under root, at
 * their path (or under dst, without the glob's fixed folder; strip_parent: the name alone), with
 * the file's mode unless info.mode says. Entries are sorted by their name in the archive.
 */
export function archiveFiles(
  files: ReadonlyArray<ArchiveFile & { src: string }>,
  root: string,
  skip: ReadonlySet<string>,
  where: string
): ArchiveEntry[] {
  if (files.length === 0) return []
  const all = walk(root, skip)
  const entries: ArchiveEntry[] = []
  for (const file of files) {
    const glob = file.src.replace(/^\.\//, '')
    const re = globRegExp(glob)
    const matches = all.filter(f => re.test(f) || f.startsWith(`${glob}/`))
    // As GoReleaser (internal/archivefiles): an entry that matches nothing is worth a warning.
    if (matches.length === 0) {
      if (!file.defaulted) core.warning(`${where}: files: "${file.src}" matches no file in ${root}`)
      continue
    }
    const prefix = staticPrefix(glob)
    for (const match of matches) {
      const source = path.join(root, match)
      let name = match
      if (file.stripParent) name = path.posix.join(file.dst ?? '', path.posix.basename(match))
      else if (file.dst !== undefined)
        name = path.posix.join(file.dst, prefix ? match.slice(prefix.length + 1) : match)
      const mode = file.info?.mode ?? statSync(source).mode & 0o777
      entries.push({ name, source, mode })
    }
  }
  // GoReleaser de-duplicates by destination.
  const unique = new Map(entries.map(e => [e.name, e]))
  return [...unique.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
