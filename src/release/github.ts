// The GitHub releases API through Octokit (@actions/github), with the retries GitHub asks for:
// 5xx, 408 and dropped connections with backoff; secondary rate limits (403 or 429 with
// retry-after, or no requests left) waited out. Uploads go to the release's own upload_url, so
// GitHub Enterprise (GITHUB_API_URL and its uploads host) works as github.com does.
import type { getOctokit } from '@actions/github'
import { ActionError } from '../errors.js'
import { logRetry, retryAfter } from '../util/http.js'
import {
  attemptsSummary,
  boundedFetch,
  findStall,
  requestLimits,
  scaled,
  transferLimits
} from '../util/limits.js'
import { withRetry } from '../util/retry.js'

export interface Release {
  id: number
  tag: string
  name: string
  draft: boolean
  prerelease: boolean
  body: string
  htmlUrl: string
  uploadUrl: string
}

export interface Asset {
  id: number
  name: string
  size: number
  /** sha256:<hex>, as GitHub computes it; null for assets uploaded before GitHub kept digests. */
  digest: string | null
  state: string
  createdAt: string
}

/** The parts of an Octokit RequestError we read, duck-typed (errors may come from another realm). */
interface RequestErrorLike {
  status: number
  message: string
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
}

export function requestError(error: unknown): RequestErrorLike | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined
  const status = (error as { status: unknown }).status
  return typeof status === 'number' ? (error as RequestErrorLike) : undefined
}

/** Whether a failed call is worth another try, and after how long when GitHub says so. */
export function retryableGitHubError(error: unknown): boolean | { afterMs: number } {
  const e = requestError(error)
  if (!e) return false
  const headers = e.response?.headers ?? {}
  const after = retryAfter(headers['retry-after'] ?? null)
  if (e.status === 403 || e.status === 429) {
    if (after !== undefined) return { afterMs: after }
    if (headers['x-ratelimit-remaining'] === '0') {
      const reset = Number(headers['x-ratelimit-reset'])
      return Number.isFinite(reset) ? { afterMs: Math.max(0, reset * 1000 - Date.now()) } : true
    }
    return e.status === 429
  }
  // Octokit reports a connection that failed or dropped as status 500 with no response.
  if (e.status >= 500 || e.status === 408) return after !== undefined ? { afterMs: after } : true
  return false
}

/** GitHub answered 502 Bad Gateway; retrying in 1.2s (attempt 2) */
function logGitHubRetry(error: unknown, attempt: number, delayMs: number): void {
  const e = requestError(error)
  logRetry(e ? `GitHub answered ${e.status} ${e.message}` : error, attempt, delayMs)
}

/** How many attempts a failure took, kept on the error itself (callers still read its status). */
interface GaveUp {
  gaveUp?: { attempts: number; elapsedMs: number }
}

export const GITHUB_RETRY = {
  attempts: 5,
  baseDelayMs: scaled(1000),
  maxDelayMs: scaled(60_000),
  retryable: retryableGitHubError,
  onRetry: logGitHubRetry,
  onGiveUp: (error: unknown, attempts: number, elapsedMs: number): unknown => {
    if (typeof error === 'object' && error !== null)
      (error as GaveUp).gaveUp = { attempts, elapsedMs }
    return error
  }
}

/** A body bigger than this is an upload, with the transfer budget (util/limits). */
const UPLOAD_BYTES = 1024 * 1024

function bodySize(body: unknown): number {
  if (body instanceof Uint8Array) return body.byteLength
  return typeof body === 'string' ? Buffer.byteLength(body) : 0
}

/**
 * The fetch Octokit uses: every call bounded by util/limits (idle: nothing received or no upload
 * progress; overall: 2 min for API calls, the transfer budget for asset uploads and downloads),
 * over the proxy-aware fetch @actions/github would have used. The body is read here, within the
 * limits: Octokit swallows errors reading a body, so a stall there would pass as an empty answer.
 */
export function boundedGitHubFetch(inner: typeof fetch = fetch): typeof fetch {
  return async (input, init = {}) => {
    const accept = new Headers(init.headers).get('accept') ?? ''
    const limits =
      bodySize(init.body) > UPLOAD_BYTES || accept.includes('application/octet-stream')
        ? transferLimits()
        : requestLimits()
    const response = await boundedFetch(
      input instanceof Request ? input.url : input,
      init,
      limits,
      inner
    )
    const bytes =
      !response.body || [204, 205, 304].includes(response.status)
        ? null
        : new Uint8Array(await response.arrayBuffer())
    const buffered = new Response(bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers
    })
    Object.defineProperty(buffered, 'url', { value: response.url })
    return buffered
  }
}

interface ApiRelease {
  id: number
  tag_name: string
  name?: string | null
  draft: boolean
  prerelease: boolean
  body?: string | null
  html_url: string
  upload_url: string
}

const release = (r: ApiRelease): Release => ({
  id: r.id,
  tag: r.tag_name,
  name: r.name ?? '',
  draft: r.draft,
  prerelease: r.prerelease,
  body: r.body ?? '',
  htmlUrl: r.html_url,
  uploadUrl: r.upload_url
})

const asset = (a: {
  id: number
  name: string
  size: number
  state: string
  digest?: string | null
  created_at: string
}): Asset => ({
  id: a.id,
  name: a.name,
  size: a.size,
  digest: a.digest ?? null,
  state: a.state,
  createdAt: a.created_at
})

export class ReleasesApi {
  private readonly octokit: ReturnType<typeof getOctokit>
  private readonly repo: { owner: string; repo: string }

  private constructor(
    octokit: ReturnType<typeof getOctokit>,
    repo: { owner: string; repo: string }
  ) {
    this.octokit = octokit
    this.repo = repo
  }

  static async connect(token: string, repository: string, apiUrl: string): Promise<ReleasesApi> {
    const [owner, repo] = repository.split('/')
    if (!owner || !repo)
      throw new ActionError(`GITHUB_REPOSITORY "${repository}" is not owner/repo`)
    // Octokit loads only for a release, not on every start of the action.
    const { getOctokit } = await import('@actions/github')
    const { defaults } = await import('@actions/github/lib/utils')
    const inner = (defaults.request?.fetch as typeof fetch | undefined) ?? fetch
    return new ReleasesApi(
      getOctokit(token, { baseUrl: apiUrl, request: { fetch: boundedGitHubFetch(inner) } }),
      { owner, repo }
    )
  }

  private call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(fn, GITHUB_RETRY).catch((error: unknown) => {
      throw describeFailure(what, error)
    })
  }

  /** A published release by tag; drafts have no tag yet, so they are never found this way. */
  async getByTag(tag: string): Promise<Release | undefined> {
    try {
      const { data } = await withRetry(
        () => this.octokit.rest.repos.getReleaseByTag({ ...this.repo, tag }),
        GITHUB_RETRY
      )
      return release(data)
    } catch (error) {
      if (requestError(error)?.status === 404) return undefined
      throw describeFailure(`reading the release for ${tag}`, error)
    }
  }

  /** Every release, drafts included, newest first. */
  list(): Promise<Release[]> {
    return this.call('listing releases', async () =>
      (
        await this.octokit.paginate(this.octokit.rest.repos.listReleases, {
          ...this.repo,
          per_page: 100
        })
      ).map(release)
    )
  }

  createDraft(opts: {
    tag: string
    commit: string
    name: string
    body: string
    prerelease: boolean
  }): Promise<Release> {
    // Not through call(): a 422 (the tag was published meanwhile) is for the caller to handle.
    return withRetry(async () => {
      const { data } = await this.octokit.rest.repos.createRelease({
        ...this.repo,
        tag_name: opts.tag,
        target_commitish: opts.commit || undefined,
        name: opts.name,
        body: opts.body,
        draft: true,
        prerelease: opts.prerelease
      })
      return release(data)
    }, GITHUB_RETRY)
  }

  update(
    id: number,
    fields: {
      draft?: boolean
      prerelease?: boolean
      make_latest?: 'true' | 'false' | 'legacy'
      body?: string
      name?: string
    }
  ): Promise<Release> {
    return this.call('updating the release', async () => {
      const { data } = await this.octokit.rest.repos.updateRelease({
        ...this.repo,
        release_id: id,
        ...fields
      })
      return release(data)
    })
  }

  deleteRelease(id: number): Promise<void> {
    return this.call('deleting a duplicate draft', async () => {
      await this.octokit.rest.repos.deleteRelease({ ...this.repo, release_id: id })
    })
  }

  generateNotes(tag: string, commit: string, previous?: string): Promise<string> {
    return this.call(`generating notes for ${tag}`, async () => {
      const { data } = await this.octokit.rest.repos.generateReleaseNotes({
        ...this.repo,
        tag_name: tag,
        target_commitish: commit || undefined,
        previous_tag_name: previous
      })
      return data.body
    })
  }

  listAssets(releaseId: number): Promise<Asset[]> {
    return this.call('listing the release assets', async () =>
      (
        await this.octokit.paginate(this.octokit.rest.repos.listReleaseAssets, {
          ...this.repo,
          release_id: releaseId,
          per_page: 100
        })
      ).map(asset)
    )
  }

  deleteAsset(id: number, name: string): Promise<void> {
    return this.call(`deleting asset ${name}`, async () => {
      await this.octokit.rest.repos.deleteReleaseAsset({ ...this.repo, asset_id: id })
    })
  }

  async downloadAsset(id: number, name: string): Promise<Buffer> {
    return this.call(`downloading asset ${name}`, async () => {
      const { data } = await this.octokit.rest.repos.getReleaseAsset({
        ...this.repo,
        asset_id: id,
        headers: { accept: 'application/octet-stream' }
      })
      return Buffer.from(data as unknown as ArrayBuffer)
    })
  }

  /** One upload attempt, to the release's upload_url; the caller cleans up and retries. */
  async uploadAsset(
    release: Release,
    name: string,
    data: Buffer,
    contentType: string
  ): Promise<Asset> {
    const { data: uploaded } = await this.octokit.rest.repos.uploadReleaseAsset({
      ...this.repo,
      release_id: release.id,
      url: release.uploadUrl,
      name,
      data: data as unknown as string,
      headers: { 'content-type': contentType, 'content-length': data.length }
    })
    return asset(uploaded)
  }
}

/** An error that says what we were doing and what GitHub answered, with its own message. */
export function describeFailure(what: string, error: unknown): ActionError {
  const gaveUp = typeof error === 'object' && error !== null ? (error as GaveUp).gaveUp : undefined
  const tried = gaveUp ? `; ${attemptsSummary(gaveUp.attempts, gaveUp.elapsedMs)}` : ''
  // A limit hit: which host and request, how long, and the variable that changes the limit.
  const stall = findStall(error)
  if (stall)
    return new ActionError(
      `GitHub: ${what} failed: ${stall.message}${tried}; if the server is only slow, raise ${stall.variable}`
    )
  const e = requestError(error)
  if (!e) return new ActionError(`GitHub: ${what} failed: ${String(error)}${tried}`)
  const hint =
    e.status === 401
      ? ' (check github-token)'
      : e.status === 403 || e.status === 404
        ? ' (the token needs contents: write on this repository)'
        : ''
  // Octokit reports no answer at all as 500 without a response: say which host did not answer.
  const host = !e.response ? requestHost(error) : undefined
  const status = host ? `no answer from ${host} (${e.message})` : `${e.status} ${e.message}`
  return new ActionError(`GitHub: ${what} failed: ${status}${hint}${tried}`)
}

function requestHost(error: unknown): string | undefined {
  const url = (error as { request?: { url?: string } }).request?.url
  try {
    return url ? new URL(url).host : undefined
  } catch {
    return undefined
  }
}
