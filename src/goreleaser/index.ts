/**
 * GoReleaser's configuration file, read as it is (issue 17): GORELEASER_FILES names the files
 * GoReleaser looks for, readGoReleaserConfig reads one into GoReleaser v2's shape with its
 * defaults applied, and GoReleaserConfigError names the line and key of every problem.
 */
export {
  DEFAULT_ARCHIVE_FILES,
  DEFAULT_ARCHIVE_NAME,
  DEFAULT_BINARY_ARCHIVE_NAME,
  DEFAULT_CHECKSUM_NAME,
  DEFAULT_LDFLAGS,
  DEFAULT_NFPM_FILE_NAME,
  DEFAULT_RELEASE_NAME,
  DEFAULT_SNAPSHOT_VERSION,
  GORELEASER_FILES,
  readGoReleaserConfig,
  type ReadResult
} from './read.js'
export { targetName } from './targets.js'
export {
  type Archive,
  type ArchiveFile,
  type ArchiveFormat,
  type Build,
  type Checksum,
  type FileInfo,
  type GoReleaserConfig,
  GoReleaserConfigError,
  type GoReleaserProblem,
  type GoReleaserTarget,
  type Nfpm,
  type NfpmContent,
  type NfpmOverridable,
  type NfpmPackagerSection,
  type NfpmScripts,
  type Release,
  type ReleaseNotesMode,
  type Snapshot,
  type Templated,
  type TemplatedBool
} from './types.js'
