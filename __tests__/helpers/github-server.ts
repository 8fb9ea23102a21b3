// A local stand-in for GitHub's REST endpoints of releases and release assets, for the release
// stage's tests. It keeps releases in memory and behaves like GitHub where our action can tell
// the difference (drafts are not found by tag, several drafts may share a tag, upload_url points
// at a separate uploads host, duplicate asset names are refused, "latest" is a pointer, …; see
// ../shared/REFERENCE.md "Releases"). Every request it handles, and every response it sends, is
// checked against GitHub's own OpenAPI description (@octokit/openapi), so neither the client nor
// the stand-in can drift from the real API unnoticed: problems land in `violations`, which the
// tests assert stays empty.
//
// Usage:
//   const github = await startGitHubServer() // octo-org/hello, token ghs_test
//   process.env.GITHUB_API_URL = github.apiUrl // http://127.0.0.1:P1/api/v3, like GitHub Enterprise
//   github.seedRelease({ tag: 'v2.0.0' })
//   ... run the release stage ...
//   expect(github.violations).toEqual([])
//   expect(github.releases()).toMatchObject([...])
//   await github.stop()
//
// Two loopback servers, laid out like GitHub Enterprise Server: the API at `/api/v3` and the
// uploads host at `/api/uploads` on another port. Release objects carry
// `upload_url: http://127.0.0.1:P2/api/uploads/repos/{o}/{r}/releases/{id}/assets{?name,label}`,
// so a client that builds the upload URL from GITHUB_API_URL instead of using upload_url fails.
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import type net from 'node:net'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsPlugin from 'ajv-formats'
import semver from 'semver'

export interface GitHubServerOptions {
  /** Repository owner; default `octo-org`. Matched case-insensitively, like GitHub. */
  owner?: string
  /** Repository name; default `hello`. */
  repo?: string
  /** The only token accepted (`token <t>` or `Bearer <t>`); default `ghs_test`. */
  token?: string
  /**
   * The base put into releases' upload_url instead of the uploads host's own (e.g. a proxy in
   * front of it: `http://127.0.0.1:P3/api/uploads`); the uploads host still serves the uploads.
   */
  uploadUrlBase?: string
}

export interface GitHubRequest {
  /** Which of the two servers answered. */
  server: 'api' | 'uploads'
  method: string
  /** Path without the server's base (`/api/v3`, `/api/uploads`) and without the query. */
  path: string
  query: Record<string, string>
  /** 0 while the request is still being handled. */
  status: number
  /** The parsed JSON request body, if the request had one (uploads: never; see releases()). */
  body?: unknown
}

export interface AssetState {
  id: number
  /** The name as stored (GitHub renames special characters; see assetName()). */
  name: string
  label: string | null
  /** `starter`: the half asset a failed (502) upload can leave behind. */
  state: 'uploaded' | 'starter'
  contentType: string
  size: number
  /** Hex sha256 of `data`. */
  sha256: string
  data: Buffer
}

export interface ReleaseState {
  id: number
  tag: string
  name: string | null
  body: string | null
  draft: boolean
  prerelease: boolean
  /** Whether this is the repository's latest release (GET /releases/latest). */
  latest: boolean
  targetCommitish: string
  createdAt: string
  publishedAt: string | null
  /** In upload order. */
  assets: AssetState[]
}

export interface SeedRelease {
  tag: string
  draft?: boolean
  prerelease?: boolean
  name?: string
  body?: string
  /** Default: now. Orders the release list and the `legacy` latest rule. */
  createdAt?: Date
  /** As the API's `make_latest`; default `true` (GitHub's default for published releases). */
  makeLatest?: MakeLatest
  assets?: Array<{ name: string; data: Buffer; label?: string; contentType?: string }>
}

export interface FailOptions {
  /**
   * Upload only: first create a half asset of that name in state `starter` (size 0, no digest),
   * which is what a real 502 from the uploads host can leave behind; the client must delete it
   * before it can upload that name again.
   */
  leaveStarterAsset?: boolean
  /** Send `retry-after: <seconds>` (secondary rate limits answer 403/429 with it). */
  retryAfter?: number
}

export interface GitHubServer {
  /** Value for GITHUB_API_URL: `http://127.0.0.1:P1/api/v3`. */
  apiUrl: string
  /** The uploads host's base: `http://127.0.0.1:P2/api/uploads` (only reachable via upload_url). */
  uploadsUrl: string
  /** Value for GITHUB_SERVER_URL: html_url and generated notes point at https://github.com. */
  serverUrl: string
  owner: string
  repo: string
  token: string
  /** Every request, in order of arrival; a test may empty it with `requests.length = 0`. */
  requests: GitHubRequest[]
  /**
   * Every disagreement with GitHub's OpenAPI description: undocumented endpoints, bad parameters
   * or bodies from the client, and responses of the stand-in that do not match the description.
   */
  violations: string[]
  /** Current state, newest release first (as GET /releases lists them), assets with their bytes. */
  releases(): ReleaseState[]
  /** The latest release's tag, if there is one. */
  latestTag(): string | undefined
  /** Adds a release as if it had been created earlier; returns its id. */
  seedRelease(seed: SeedRelease): number
  /**
   * The next request for which `match(method, path)` is true (path as in `requests`) is answered
   * with `status` and GitHub's error body instead of being carried out. Only requests that get
   * that far count: with valid credentials, to a documented operation, for this repository (a
   * 401 or an undocumented path does not use up the fault). Its request is still validated.
   */
  failNext(
    match: (method: string, path: string) => boolean,
    status: number,
    opts?: FailOptions
  ): void
  /**
   * GitHub goes down at a chosen request: from the first request for which
   * `match(method, path, body)` is true (that one included; `body` is its parsed JSON body, if
   * any), every request is answered with `status` and GitHub's error body instead of being carried
   * out, until `recover()`. As with failNext, only requests that get that far count, and each is
   * still validated. `retryAfter` (seconds) is sent too when given: 0 makes the client's retries
   * give up at once instead of after their backoff. `match` is asked once per request until it
   * says yes, so it may count.
   */
  failFrom(
    match: (method: string, path: string, body: unknown) => boolean,
    status: number,
    opts?: { retryAfter?: number }
  ): void
  /** Ends the outage of failFrom (and forgets one that has not begun). */
  recover(): void
  /** What the runner would set for a job of this repository on this server. */
  runnerEnv(): { GITHUB_API_URL: string; GITHUB_REPOSITORY: string }
  stop(): Promise<void>
}

type MakeLatest = 'true' | 'false' | 'legacy'

const DEFAULT_BRANCH = 'main'
const SERVER_URL = 'https://github.com'
/** GitHub refuses longer release bodies (REFERENCE.md: "The body limit is 125,000 characters"). */
const MAX_BODY_CHARS = 125_000
const REST_DOCS = 'https://docs.github.com/rest'
/** Who GITHUB_TOKEN is: releases it creates show this author and uploader. */
const BOT = { login: 'github-actions[bot]', id: 41898282, nodeId: 'MDM6Qm90NDE4OTgyODI=' }

export async function startGitHubServer(opts: GitHubServerOptions = {}): Promise<GitHubServer> {
  const description = openApi()
  const api = http.createServer()
  const uploads = http.createServer()
  try {
    const [apiPort, uploadsPort] = await Promise.all([listen(api), listen(uploads)])
    const state = new Repository({
      owner: opts.owner ?? 'octo-org',
      repo: opts.repo ?? 'hello',
      token: opts.token ?? 'ghs_test',
      apiUrl: `http://127.0.0.1:${apiPort}/api/v3`,
      uploadsUrl: `http://127.0.0.1:${uploadsPort}/api/uploads`,
      uploadUrlBase: opts.uploadUrlBase,
      description
    })
    api.on('request', (req, res) => void state.serve('api', req, res))
    uploads.on('request', (req, res) => void state.serve('uploads', req, res))
    return {
      apiUrl: state.apiUrl,
      uploadsUrl: state.uploadsUrl,
      serverUrl: SERVER_URL,
      owner: state.owner,
      repo: state.repo,
      token: state.token,
      requests: state.requests,
      violations: state.violations,
      releases: () => state.snapshot(),
      latestTag: () => state.latest()?.tag,
      seedRelease: seed => state.seed(seed),
      failNext: (match, status, failOpts = {}) => {
        if (!Number.isInteger(status) || status < 400 || status > 599) {
          throw new Error(`failNext: status ${status} is not an HTTP error status (400-599)`)
        }
        state.faults.push({ match, status, ...failOpts })
      },
      failFrom: (match, status, outageOpts = {}) => {
        if (!Number.isInteger(status) || status < 400 || status > 599) {
          throw new Error(`failFrom: status ${status} is not an HTTP error status (400-599)`)
        }
        state.outage = { match, status, retryAfter: outageOpts.retryAfter, begun: false }
      },
      recover: () => {
        state.outage = undefined
      },
      runnerEnv: () => ({
        GITHUB_API_URL: state.apiUrl,
        GITHUB_REPOSITORY: `${state.owner}/${state.repo}`
      }),
      stop: async () => {
        await Promise.all([close(api), close(uploads)])
      }
    }
  } catch (error) {
    await Promise.allSettled([close(api), close(uploads)])
    throw error
  }
}

/**
 * Checks one JSON response against GitHub's description, exactly as the stand-in checks its own
 * before sending: for tests of the checker itself, and for any other fake of the GitHub API.
 * `path` is the request path without the base (`/repos/o/r/releases/1`), percent-encoded.
 */
export function checkGitHubResponse(
  method: string,
  path: string,
  status: number,
  body?: unknown,
  host: 'api' | 'uploads' = 'api'
): string[] {
  const description = openApi()
  const found = description.match(method, path)
  if (!found) return [`${method} ${path}: not a documented endpoint`]
  if (!found.operation) return [`${method} is not documented for ${found.template}`]
  if (description.host(found.operation) !== host) {
    return [`${found.operation.operationId} is not served by the ${host} host`]
  }
  return description.checkResponse(found.operation, { status, json: body }, '')
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))
  })
}

function close(server: http.Server): Promise<void> {
  if (!server.listening) return Promise.resolve()
  server.closeAllConnections()
  return new Promise(resolve => server.close(() => resolve()))
}

// ---------------------------------------------------------------------------------------------
// GitHub's OpenAPI description
// ---------------------------------------------------------------------------------------------

type Schema = Record<string, unknown>

interface Parameter {
  name: string
  in: string
  required?: boolean
  schema?: Schema
  'x-multi-segment'?: boolean
}

interface MediaType {
  schema?: Schema
}

interface ResponseObject {
  content?: Record<string, MediaType>
}

interface Operation {
  operationId: string
  description?: string
  parameters?: unknown[]
  requestBody?: unknown
  responses: Record<string, unknown>
  servers?: Array<{ url: string }>
  externalDocs?: { url: string }
}

interface OpenApiDocument {
  openapi: string
  paths: Record<string, Record<string, unknown>>
  components: Record<string, Record<string, unknown>>
}

interface Route {
  template: string
  regex: RegExp
  names: string[]
  /** Per segment 0 for a literal, 1 for a parameter, 2 for a multi-segment one: lower wins. */
  rank: number[]
  item: Record<string, unknown>
}

interface Match {
  template: string
  operation: Operation
  /** Decoded path parameters, still strings. */
  pathParams: Record<string, string>
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const UPLOADS_ORIGIN = 'https://uploads.github.com'

/**
 * Error statuses GitHub may answer on any endpoint although the description lists them for few
 * operations ("Troubleshooting the REST API": 400 Problems parsing JSON, 401 Bad credentials,
 * 403/429 rate limits, 404 for anything missing or hidden, 422 invalid input, 5xx). The
 * description omits even the obvious ones (get-release documents 200 and 401, not 404;
 * list-release-assets documents only 200), so for these statuses "undocumented" is not a
 * violation; their bodies must still be GitHub error objects (checked against basic-error, or
 * validation-error for 422). Any other undocumented status, success or not, is a violation.
 */
const ERRORS_ON_ANY_ENDPOINT = new Set([400, 401, 403, 404, 422, 429, 500, 502, 503, 504])

/** The $ref form (13 MB) parses in well under a second; the .deref.json (73 MB) takes ~5 s and
 * ~190 MB of heap per test file, for refs we resolve cheaply ourselves. */
const SPEC_FILE = '@octokit/openapi/generated/api.github.com.json'

let described: OpenApi | undefined

/** GitHub's description, loaded once per test file (module registry) and shared by servers. */
function openApi(): OpenApi {
  if (!described) {
    let file: string
    try {
      file = createRequire(import.meta.url).resolve(SPEC_FILE)
    } catch {
      throw new Error(
        `${SPEC_FILE} is missing: the GitHub stand-in validates against it; ` +
          'it is a devDependency, run `npm ci`'
      )
    }
    described = new OpenApi(JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument, file)
  }
  return described
}

class OpenApi {
  private readonly routes: Route[] = []
  private readonly derefs = new Map<string, unknown>()
  private readonly compiled = new Map<string, ValidateFunction>()
  private readonly ajv: Ajv
  /** Path and query parameters arrive as strings: this instance coerces them to the schema's type. */
  private readonly ajvParams: Ajv

  constructor(
    private readonly doc: OpenApiDocument,
    readonly file: string
  ) {
    if (!doc.openapi?.startsWith('3.0.') || !doc.paths || !doc.components) {
      throw new Error(`${file} is not an OpenAPI 3.0 description (openapi: ${doc.openapi})`)
    }
    this.amend()
    // strict: false because the description carries OpenAPI-only keywords (example,
    // x-github, discriminator…); Ajv 8 itself understands OpenAPI's `nullable`.
    const options = { strict: false, allErrors: true }
    this.ajv = new Ajv(options)
    this.ajvParams = new Ajv({ ...options, coerceTypes: true })
    for (const ajv of [this.ajv, this.ajvParams]) addFormats(ajv)
    for (const [template, item] of Object.entries(doc.paths)) {
      this.routes.push(route(template, item))
    }
  }

  /**
   * Where the description contradicts itself, follow its prose and say so here. Each amendment
   * checks that the prose still says what justifies it, so a newer description that fixes (or
   * changes) the point turns the amendment off instead of hiding the change.
   */
  private amend(): void {
    // upload-release-asset: "When an upstream failure occurs, you will receive a 502 … This may
    // leave an empty asset with a state of `starter`", but release-asset's state enum lists only
    // uploaded and open, so listing that asset would be flagged.
    const upload = this.doc.paths['/repos/{owner}/{repo}/releases/{release_id}/assets']?.post as
      Operation | undefined
    const state = (
      (this.doc.components.schemas?.['release-asset'] as Schema | undefined)?.properties as
        Record<string, Schema> | undefined
    )?.state
    if (
      upload?.description?.includes('state of `starter`') &&
      Array.isArray(state?.enum) &&
      !state.enum.includes('starter')
    ) {
      state.enum = [...(state.enum as unknown[]), 'starter']
    }
  }

  /**
   * The operation for a method and a raw (still percent-encoded) path. Among the templates that
   * match, literal segments beat parameters from the left (`/releases/latest` over
   * `/releases/{release_id}`), as GitHub's router does. `x-multi-segment` parameters (a tag like
   * `release/v1`) may span slashes.
   */
  match(
    method: string,
    rawPath: string
  ): Match | { template: string; operation: undefined } | undefined {
    const candidates: Array<{ route: Route; values: string[] }> = []
    for (const r of this.routes) {
      const m = r.regex.exec(rawPath)
      if (!m) continue
      try {
        candidates.push({ route: r, values: m.slice(1).map(v => decodeURIComponent(v)) })
      } catch {
        // A malformed %-escape cannot be a parameter value.
      }
    }
    if (candidates.length === 0) return undefined
    candidates.sort((a, b) => compareRanks(a.route.rank, b.route.rank))
    const lower = method.toLowerCase()
    for (const { route: r, values } of candidates) {
      const operation = r.item[lower] as Operation | undefined
      if (!operation) continue
      const pathParams: Record<string, string> = {}
      r.names.forEach((name, i) => (pathParams[name] = values[i] as string))
      return { template: r.template, operation, pathParams }
    }
    return { template: (candidates[0] as { route: Route }).route.template, operation: undefined }
  }

  /** `uploads` for operations the description sends to https://uploads.github.com. */
  host(operation: Operation): 'api' | 'uploads' {
    return operation.servers?.some(s => s.url === UPLOADS_ORIGIN) ? 'uploads' : 'api'
  }

  docsUrl(operation: Operation): string {
    return operation.externalDocs?.url ?? REST_DOCS
  }

  /** Validates (and coerces) path and query parameters; unknown query parameters are problems. */
  checkParameters(
    operation: Operation,
    pathParams: Record<string, string>,
    query: Record<string, string>
  ): { problems: string[]; path: Record<string, unknown>; query: Record<string, unknown> } {
    const params = (operation.parameters ?? []).map(p => this.resolve(p) as Parameter)
    const problems: string[] = []
    const out = {
      path: { ...pathParams } as Record<string, unknown>,
      query: {} as Record<string, unknown>
    }
    for (const where of ['path', 'query'] as const) {
      const declared = params.filter(p => p.in === where)
      const values: Record<string, unknown> = {}
      if (where === 'path') Object.assign(values, pathParams)
      else {
        for (const [name, value] of Object.entries(query)) {
          // GitHub ignores parameters it does not know; for a client a misspelt one
          // (`per_pag=100`) is a silent bug, so the stand-in flags it.
          if (declared.some(p => p.name === name)) values[name] = value
          else problems.push(`query parameter ${name} is not documented for this operation`)
        }
      }
      const validate = this.compile(`${operation.operationId} ${where} parameters`, true, () => ({
        type: 'object',
        properties: Object.fromEntries(declared.map(p => [p.name, this.schema(p.schema ?? {})])),
        required: declared.filter(p => p.required).map(p => p.name)
      }))
      if (!validate(values)) problems.push(...explain(validate.errors, `${where} parameters`))
      out[where] = values
    }
    return { problems, ...out }
  }

  /** The JSON request body schema, or undefined when the operation takes no JSON body. */
  jsonBody(operation: Operation): { required: boolean; validate: ValidateFunction } | undefined {
    const body = operation.requestBody
      ? (this.resolve(operation.requestBody) as {
          required?: boolean
          content?: Record<string, MediaType>
        })
      : undefined
    const schema = body?.content?.['application/json']?.schema
    if (!body || !schema) return undefined
    // GitHub ignores body fields it does not know, so `make_lates: 'false'` would be dropped
    // without a word: closing the top-level object makes such a typo a violation.
    const validate = this.compile(`${operation.operationId} request body`, false, () =>
      closeObject(this.schema(schema))
    )
    return { required: body.required === true, validate }
  }

  /** Media types the operation accepts as a request body. */
  requestMediaTypes(operation: Operation): string[] {
    const body = operation.requestBody
      ? (this.resolve(operation.requestBody) as { content?: Record<string, MediaType> })
      : undefined
    return Object.keys(body?.content ?? {})
  }

  /** Problems with a response the stand-in is about to send. */
  checkResponse(operation: Operation, reply: Reply, accept: string): string[] {
    const key = String(reply.status)
    const documented = operation.responses[key]
      ? (this.resolve(operation.responses[key]) as ResponseObject)
      : undefined
    const problems: string[] = []
    if (!documented && !ERRORS_ON_ANY_ENDPOINT.has(reply.status)) {
      return [
        `response status ${reply.status} is not documented for ${operation.operationId} ` +
          `(documented: ${Object.keys(operation.responses).join(', ')})`
      ]
    }
    const content = documented?.content
    if (reply.bytes) {
      const type = reply.contentType ?? ''
      // get-release-asset documents only JSON for 200, but its description says that with
      // `Accept: application/octet-stream` "the API will either redirect … or stream it".
      const streamed =
        accept.includes(type) && (operation.description ?? '').includes(`\`${type}\``)
      if (!content?.[type] && !streamed) {
        problems.push(`a ${type} body is not documented for status ${reply.status}`)
      }
      return problems
    }
    if (reply.json === undefined) {
      if (content) problems.push(`status ${reply.status} documents a body but none was sent`)
      return problems
    }
    let validate: ValidateFunction
    const json = content?.['application/json']?.schema
    if (json) {
      validate = this.compile(`${operation.operationId} response ${key}`, false, () =>
        this.schema(json)
      )
    } else if (reply.status >= 400) {
      // An error answer where the description has none (or documents the status without a
      // body, like upload-release-asset's 422): it must still be one of GitHub's error objects.
      const name = reply.status === 422 ? 'validation-error' : 'basic-error'
      validate = this.compile(`error ${name}`, false, () => ({
        ...this.schema({ $ref: `#/components/schemas/${name}` }),
        required: ['message']
      }))
    } else {
      return [`status ${reply.status} documents no body but one was sent`]
    }
    if (!validate(reply.json)) problems.push(...explain(validate.errors, 'response body'))
    return problems
  }

  private compile(key: string, params: boolean, schema: () => Schema): ValidateFunction {
    let validate = this.compiled.get(key)
    if (!validate) {
      validate = (params ? this.ajvParams : this.ajv).compile(schema())
      this.compiled.set(key, validate)
    }
    return validate
  }

  /** Follows a top-level `$ref` (parameters, request bodies, responses). */
  private resolve(node: unknown): unknown {
    let current = node
    for (let hops = 0; isRef(current); hops++) {
      if (hops > 20) throw new Error(`$ref chain too long at ${current.$ref}`)
      current = this.pointer(current.$ref)
    }
    return current
  }

  /** A schema with every `$ref` replaced by its target, for Ajv (which knows no components). */
  private schema(node: Schema, stack: string[] = []): Schema {
    return this.deref(node, stack) as Schema
  }

  private deref(node: unknown, stack: string[]): unknown {
    if (Array.isArray(node)) return node.map(v => this.deref(v, stack))
    if (!node || typeof node !== 'object') return node
    if (isRef(node)) {
      const ref = node.$ref
      const done = this.derefs.get(ref)
      if (done !== undefined) return done
      if (stack.includes(ref)) {
        throw new Error(
          `circular $ref ${[...stack, ref].join(' → ')}: the stand-in cannot inline it`
        )
      }
      const resolved = this.deref(this.pointer(ref), [...stack, ref])
      this.derefs.set(ref, resolved)
      return resolved
    }
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      // Examples are documentation, often large, and may contain `$ref`-looking data.
      out[k] = k === 'example' || k === 'examples' ? v : this.deref(v, stack)
    }
    return out
  }

  private pointer(ref: string): unknown {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref} in ${this.file}`)
    let node: unknown = this.doc
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined
      if (node === undefined) throw new Error(`dangling $ref ${ref} in ${this.file}`)
    }
    return node
  }
}

function isRef(node: unknown): node is { $ref: string } {
  return !!node && typeof node === 'object' && typeof (node as { $ref?: unknown }).$ref === 'string'
}

function route(template: string, item: Record<string, unknown>): Route {
  const multi = new Set<string>()
  for (const method of HTTP_METHODS) {
    const op = item[method] as Operation | undefined
    for (const p of [...((item.parameters as unknown[]) ?? []), ...(op?.parameters ?? [])]) {
      const param = p as Parameter
      if (param['x-multi-segment']) multi.add(param.name)
    }
  }
  const names: string[] = []
  const rank: number[] = []
  const pattern = template
    .split('/')
    .slice(1)
    .map(segment => {
      const m = /^\{([^}]+)\}$/.exec(segment)
      if (!m) {
        rank.push(0)
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      }
      const name = m[1] as string
      names.push(name)
      rank.push(multi.has(name) ? 2 : 1)
      return multi.has(name) ? '(.+)' : '([^/]+)'
    })
    .join('/')
  return { template, regex: new RegExp(`^/${pattern}$`), names, rank, item }
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 3) - (b[i] ?? 3)
    if (d !== 0) return d
  }
  return 0
}

function closeObject(schema: Schema): Schema {
  return schema.type === 'object' && schema.properties && schema.additionalProperties === undefined
    ? { ...schema, additionalProperties: false }
    : schema
}

function addFormats(ajv: Ajv): void {
  // ajv-formats is CommonJS with `exports.default`; under Node's ESM interop the default import
  // is module.exports, under ts-jest's type view it is the namespace: accept both.
  const plugin = addFormatsPlugin as unknown as {
    (a: Ajv): Ajv
    default?: (a: Ajv) => Ajv
  }
  ;(plugin.default ?? plugin)(ajv)
}

function explain(errors: ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map(e => {
    const at = `${where}${e.instancePath}`
    const params = e.params as Record<string, unknown>
    let detail = ''
    if (e.keyword === 'enum')
      detail = ` (allowed: ${(params.allowedValues as unknown[]).join(', ')})`
    if (e.keyword === 'additionalProperties') detail = `: ${String(params.additionalProperty)}`
    return `${at} ${e.message ?? 'is invalid'}${detail}`
  })
}

// ---------------------------------------------------------------------------------------------
// The repository and its releases
// ---------------------------------------------------------------------------------------------

interface Asset {
  id: number
  name: string
  label: string | null
  state: 'uploaded' | 'starter'
  contentType: string
  data: Buffer
  createdAt: Date
  updatedAt: Date
}

interface Release {
  id: number
  tag: string
  targetCommitish: string
  name: string | null
  body: string | null
  draft: boolean
  prerelease: boolean
  createdAt: Date
  publishedAt: Date | null
  updatedAt: Date
  /** Drafts' html_url is `…/releases/tag/untagged-<this>` until they are published. */
  untagged: string
  /** make_latest given while still a draft: applied when the draft is published. */
  pendingMakeLatest?: MakeLatest
  assets: Asset[]
}

interface Fault extends FailOptions {
  match: (method: string, path: string) => boolean
  status: number
}

interface Reply {
  status: number
  json?: unknown
  bytes?: Buffer
  contentType?: string
  headers?: Record<string, string>
}

interface Call {
  operation: Operation
  path: Record<string, unknown>
  query: Record<string, unknown>
  body: Record<string, unknown>
  raw: Buffer
  headers: http.IncomingHttpHeaders
  requestPath: string
}

class Repository {
  readonly owner: string
  readonly repo: string
  readonly token: string
  readonly apiUrl: string
  readonly uploadsUrl: string
  /** What releases' upload_url starts with: the uploads host, unless a test put something before it. */
  readonly uploadUrlBase: string
  readonly requests: GitHubRequest[] = []
  readonly violations: string[] = []
  readonly faults: Fault[] = []
  /** failFrom's outage: begun at the first request that matched. */
  outage?: {
    match: (method: string, path: string, body: unknown) => boolean
    status: number
    retryAfter?: number
    begun: boolean
  }
  private readonly description: OpenApi
  private readonly list: Release[] = []
  private latestId: number | undefined
  private nextReleaseId = 1000
  private nextAssetId = 500000

  constructor(o: {
    owner: string
    repo: string
    token: string
    apiUrl: string
    uploadsUrl: string
    uploadUrlBase?: string
    description: OpenApi
  }) {
    this.owner = o.owner
    this.repo = o.repo
    this.token = o.token
    this.apiUrl = o.apiUrl
    this.uploadsUrl = o.uploadsUrl
    this.uploadUrlBase = o.uploadUrlBase ?? o.uploadsUrl
    this.description = o.description
  }

  // --- test controls ---------------------------------------------------------------------------

  snapshot(): ReleaseState[] {
    return this.ordered().map(r => ({
      id: r.id,
      tag: r.tag,
      name: r.name,
      body: r.body,
      draft: r.draft,
      prerelease: r.prerelease,
      latest: r.id === this.latestId,
      targetCommitish: r.targetCommitish,
      createdAt: timestamp(r.createdAt),
      publishedAt: r.publishedAt ? timestamp(r.publishedAt) : null,
      assets: r.assets.map(a => ({
        id: a.id,
        name: a.name,
        label: a.label,
        state: a.state,
        contentType: a.contentType,
        size: a.data.length,
        sha256: sha256(a.data),
        data: Buffer.from(a.data)
      }))
    }))
  }

  latest(): Release | undefined {
    return this.list.find(r => r.id === this.latestId)
  }

  seed(seed: SeedRelease): number {
    const draft = seed.draft ?? false
    if (!draft && this.published(seed.tag)) {
      throw new Error(`seedRelease: a published release already has tag ${seed.tag}`)
    }
    const createdAt = seed.createdAt ?? new Date()
    const release = this.newRelease({
      tag: seed.tag,
      name: seed.name ?? seed.tag,
      body: seed.body ?? null,
      draft,
      prerelease: seed.prerelease ?? false,
      createdAt,
      targetCommitish: DEFAULT_BRANCH
    })
    for (const asset of seed.assets ?? []) {
      const name = assetName(asset.name)
      if (release.assets.some(a => a.name === name)) {
        throw new Error(`seedRelease: asset ${name} given twice for ${seed.tag}`)
      }
      release.assets.push({
        id: this.nextAssetId++,
        name,
        label: asset.label ?? '',
        state: 'uploaded',
        contentType: asset.contentType ?? 'application/octet-stream',
        data: Buffer.from(asset.data),
        createdAt,
        updatedAt: createdAt
      })
    }
    if (draft) release.pendingMakeLatest = seed.makeLatest
    else this.makeLatest(release, seed.makeLatest ?? 'true')
    return release.id
  }

  // --- HTTP ------------------------------------------------------------------------------------

  async serve(server: 'api' | 'uploads', req: http.IncomingMessage, res: http.ServerResponse) {
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const base = server === 'api' ? '/api/v3' : '/api/uploads'
    const underBase = url.pathname.startsWith(`${base}/`)
    const rawPath = underBase ? url.pathname.slice(base.length) : url.pathname
    const query = Object.fromEntries(url.searchParams)
    const entry: GitHubRequest = { server, method, path: safeDecode(rawPath), query, status: 0 }
    this.requests.push(entry)
    const where = `${method} ${server === 'uploads' ? '<uploads>' : ''}${entry.path}`
    const violation = (message: string): void => {
      this.violations.push(`${where}: ${message}`)
    }
    let reply: Reply
    let operation: Operation | undefined
    try {
      const raw = await readBody(req)
      const found = underBase ? this.description.match(method, rawPath) : undefined
      if (found?.operation && this.description.host(found.operation) !== server) {
        violation(
          `${found.operation.operationId} is served by the ${
            server === 'api' ? 'uploads host (use upload_url)' : 'API host'
          }, not the ${server} host`
        )
      } else if (found?.operation) {
        operation = found.operation
      } else if (found) {
        violation(`${method} is not documented for ${found.template}`)
      } else {
        violation(`not a documented endpoint (base ${base})`)
      }

      const auth = this.authenticate(req.headers.authorization)
      if (auth) reply = auth
      else if (!operation || !found?.operation) reply = notFound(REST_DOCS)
      else {
        reply = this.call(operation, found.pathParams, query, raw, req, entry, violation)
      }
    } catch (error) {
      violation(`the stand-in failed: ${error instanceof Error ? error.stack : String(error)}`)
      reply = errorReply(500, 'Internal Server Error', REST_DOCS)
    }
    if (operation) {
      for (const p of this.description.checkResponse(operation, reply, req.headers.accept ?? '')) {
        violation(`${operation.operationId}: ${p}`)
      }
    }
    entry.status = reply.status
    send(res, reply)
  }

  private authenticate(header: string | undefined): Reply | undefined {
    // GitHub accepts both schemes for every token type.
    const m = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '')
    if (m && m[1] === this.token) return undefined
    // A request without credentials is anonymous and could read a public repository; the
    // stand-in plays a private one, where GitHub answers 401 only to bad credentials and hides
    // the repository (404) from anonymous callers. Tests want a clear signal, so both get 401.
    return errorReply(401, header ? 'Bad credentials' : 'Requires authentication', REST_DOCS)
  }

  private call(
    operation: Operation,
    pathParams: Record<string, string>,
    rawQuery: Record<string, string>,
    raw: Buffer,
    req: http.IncomingMessage,
    entry: GitHubRequest,
    violation: (m: string) => void
  ): Reply {
    const docs = this.description.docsUrl(operation)
    const params = this.description.checkParameters(operation, pathParams, rawQuery)
    for (const p of params.problems) violation(`${operation.operationId}: ${p}`)
    // A path parameter of the wrong type (release_id `abc`) is a path GitHub has no route for.
    if (params.problems.some(p => p.startsWith('path parameters'))) return notFound(docs)

    let body: Record<string, unknown> = {}
    const json = this.description.jsonBody(operation)
    if (json) {
      const text = raw.toString('utf8')
      let parsed: unknown
      if (text.trim() !== '') {
        try {
          parsed = JSON.parse(text)
        } catch {
          violation(`${operation.operationId}: the request body is not JSON`)
          return errorReply(400, 'Problems parsing JSON', docs)
        }
        entry.body = parsed
      }
      if (parsed === undefined && json.required) {
        violation(`${operation.operationId}: request body is required`)
        return errorReply(422, 'Invalid request.\n\nNo request body was sent.', docs)
      }
      if (parsed !== undefined && !json.validate(parsed)) {
        const problems = explain(json.validate.errors, 'request body')
        for (const p of problems) violation(`${operation.operationId}: ${p}`)
        // GitHub refuses a body that does not match its schema, naming the field.
        return errorReply(422, `Invalid request.\n\n${problems.join('\n')}`, docs)
      }
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>
    } else if (this.description.requestMediaTypes(operation).length > 0) {
      // A raw body (upload-release-asset): "Use the required `Content-Type` header to provide
      // the media type of the asset", and Content-Length is required as well (no chunking).
      for (const header of ['content-type', 'content-length']) {
        if (req.headers[header] === undefined) {
          violation(`${operation.operationId}: the ${header} header is required`)
        }
      }
    } else if (raw.length > 0) {
      violation(`${operation.operationId}: takes no request body, but ${raw.length} bytes came`)
    }

    const call: Call = {
      operation,
      path: params.path,
      query: params.query,
      body,
      raw,
      headers: req.headers,
      requestPath: entry.path
    }
    if (!this.isOurRepo(call)) return notFound(docs)

    const down = this.outage
    if (down && (down.begun || down.match(entry.method, entry.path, entry.body))) {
      down.begun = true
      const reply = errorReply(down.status, http.STATUS_CODES[down.status] ?? 'Error', docs)
      if (down.retryAfter !== undefined) reply.headers = { 'retry-after': String(down.retryAfter) }
      return reply
    }

    const fault = this.faults.findIndex(f => f.match(entry.method, entry.path))
    if (fault >= 0) {
      const [f] = this.faults.splice(fault, 1) as [Fault]
      if (f.leaveStarterAsset && operation.operationId === 'repos/upload-release-asset') {
        this.leaveStarter(call)
      }
      const reply = errorReply(f.status, http.STATUS_CODES[f.status] ?? 'Error', docs)
      if (f.retryAfter !== undefined) reply.headers = { 'retry-after': String(f.retryAfter) }
      return reply
    }

    const handler = this.handlers[operation.operationId]
    if (!handler) {
      violation(`${operation.operationId} is documented but the stand-in does not implement it`)
      return notFound(docs)
    }
    return handler.call(this, call, docs)
  }

  private isOurRepo(call: Call): boolean {
    const same = (a: unknown, b: string): boolean =>
      typeof a === 'string' && a.toLowerCase() === b.toLowerCase()
    return same(call.path.owner, this.owner) && same(call.path.repo, this.repo)
  }

  // --- operations ------------------------------------------------------------------------------

  private readonly handlers: Record<string, (call: Call, docs: string) => Reply> = {
    'repos/list-releases': call => {
      return this.page(call, this.ordered(), 30, r => this.releaseJson(r))
    },

    'repos/get-release': (call, docs) => {
      const release = this.byId(call.path.release_id)
      return release ? { status: 200, json: this.releaseJson(release) } : notFound(docs)
    },

    'repos/get-release-by-tag': (call, docs) => {
      // Drafts have no tag until they are published: only published releases are found.
      const release = this.published(String(call.path.tag))
      return release ? { status: 200, json: this.releaseJson(release) } : notFound(docs)
    },

    'repos/get-latest-release': (_call, docs) => {
      const release = this.latest()
      return release ? { status: 200, json: this.releaseJson(release) } : notFound(docs)
    },

    'repos/create-release': (call, docs) => {
      const b = call.body
      const tag = b.tag_name as string
      const draft = (b.draft as boolean | undefined) ?? false
      const invalid = this.checkRelease(tag, b.body as string | undefined, docs)
      if (invalid) return invalid
      // The tag belongs to the published release that has it; drafts own no tag, so any number
      // of drafts may share one (what N matrix legs racing to create a release produce).
      if (this.published(tag)) return alreadyExists('Release', 'tag_name', docs)
      let name = (b.name as string | undefined) ?? null
      let text = (b.body as string | undefined) ?? null
      if (b.generate_release_notes === true) {
        const previous = this.latest()?.tag
        const notes = this.notes(tag, previous !== tag ? previous : undefined)
        name ??= notes.name
        text = text ? `${text}\n\n${notes.body}` : notes.body
        if (text.length > MAX_BODY_CHARS) return bodyTooLong(docs)
      }
      const release = this.newRelease({
        tag,
        name,
        body: text,
        draft,
        prerelease: (b.prerelease as boolean | undefined) ?? false,
        createdAt: new Date(),
        targetCommitish: (b.target_commitish as string | undefined) ?? DEFAULT_BRANCH
      })
      const makeLatest = b.make_latest as MakeLatest | undefined
      if (draft) release.pendingMakeLatest = makeLatest
      else this.makeLatest(release, makeLatest ?? 'true')
      return {
        status: 201,
        json: this.releaseJson(release),
        headers: { location: this.releaseUrl(release) }
      }
    },

    'repos/update-release': (call, docs) => {
      const release = this.byId(call.path.release_id)
      if (!release) return notFound(docs)
      const b = call.body
      const tag = (b.tag_name as string | undefined) ?? release.tag
      const draft = (b.draft as boolean | undefined) ?? release.draft
      const invalid = this.checkRelease(tag, b.body as string | undefined, docs)
      if (invalid) return invalid
      // Publishing (or renaming the tag of a published release) claims the tag.
      const holder = this.published(tag)
      if (!draft && holder && holder.id !== release.id) {
        return alreadyExists('Release', 'tag_name', docs)
      }
      const publishing = release.draft && !draft
      const now = new Date()
      release.tag = tag
      release.draft = draft
      if (b.target_commitish !== undefined) release.targetCommitish = b.target_commitish as string
      if (b.name !== undefined) release.name = b.name as string
      if (b.body !== undefined) release.body = b.body as string
      if (b.prerelease !== undefined) release.prerelease = b.prerelease as boolean
      if (publishing) release.publishedAt = now
      if (draft) release.publishedAt = null
      release.updatedAt = now
      const given = b.make_latest as MakeLatest | undefined
      if (draft) {
        if (given) release.pendingMakeLatest = given
        this.makeLatest(release, undefined)
      } else if (publishing) {
        // "Defaults to `true` for newly published releases."
        this.makeLatest(release, given ?? release.pendingMakeLatest ?? 'true')
        release.pendingMakeLatest = undefined
      } else {
        this.makeLatest(release, given)
      }
      return { status: 200, json: this.releaseJson(release) }
    },

    'repos/delete-release': (call, docs) => {
      const release = this.byId(call.path.release_id)
      if (!release) return notFound(docs)
      this.list.splice(this.list.indexOf(release), 1)
      this.makeLatest(release, undefined)
      return { status: 204 }
    },

    'repos/generate-release-notes': call => {
      const b = call.body
      return {
        status: 200,
        json: this.notes(b.tag_name as string, b.previous_tag_name as string | undefined)
      }
    },

    'repos/list-release-assets': (call, docs) => {
      const release = this.byId(call.path.release_id)
      if (!release) return notFound(docs)
      return this.page(call, release.assets, 30, a => this.assetJson(release, a))
    },

    'repos/upload-release-asset': (call, docs) => {
      const release = this.byId(call.path.release_id)
      if (!release) return notFound(docs)
      // The messages are the uploads host's own (it adds request_id, not documentation_url).
      const type = call.headers['content-type']
      if (!type) return { status: 400, json: { message: "Invalid Content-Type: ''" } }
      if (call.headers['content-length'] === undefined) {
        return { status: 400, json: { message: 'Bad Content-Length: ' } }
      }
      const given = call.query.name
      if (typeof given !== 'string' || given === '') {
        return validationFailed(
          [{ resource: 'ReleaseAsset', code: 'missing_field', field: 'name' }],
          docs
        )
      }
      if (call.raw.length === 0) {
        return validationFailed(
          [
            {
              resource: 'ReleaseAsset',
              code: 'custom',
              field: 'size',
              message: 'size is not included in the list'
            }
          ],
          docs
        )
      }
      const name = assetName(given)
      // No replace: the old asset (a starter one too) must be deleted first.
      if (release.assets.some(a => a.name === name)) {
        return alreadyExists('ReleaseAsset', 'name', docs)
      }
      const now = new Date()
      const asset: Asset = {
        id: this.nextAssetId++,
        name,
        label: typeof call.query.label === 'string' ? call.query.label : '',
        state: 'uploaded',
        contentType: type,
        data: Buffer.from(call.raw),
        createdAt: now,
        updatedAt: now
      }
      release.assets.push(asset)
      release.updatedAt = now
      return { status: 201, json: this.assetJson(release, asset) }
    },

    'repos/get-release-asset': (call, docs) => {
      const found = this.assetById(call.path.asset_id)
      if (!found) return notFound(docs)
      const { release, asset } = found
      if ((call.headers.accept ?? '').includes('application/octet-stream')) {
        // GitHub may also redirect (302) to its storage; the stand-in streams directly, which
        // the description allows ("either redirect … or stream it directly").
        return {
          status: 200,
          bytes: asset.data,
          contentType: 'application/octet-stream',
          headers: { 'content-disposition': `attachment; filename=${asset.name}` }
        }
      }
      return { status: 200, json: this.assetJson(release, asset) }
    },

    'repos/update-release-asset': (call, docs) => {
      const found = this.assetById(call.path.asset_id)
      if (!found) return notFound(docs)
      const { release, asset } = found
      const b = call.body
      if (typeof b.name === 'string') {
        const name = assetName(b.name)
        if (release.assets.some(a => a !== asset && a.name === name)) {
          return alreadyExists('ReleaseAsset', 'name', docs)
        }
        asset.name = name
      }
      if (typeof b.label === 'string') asset.label = b.label
      asset.updatedAt = new Date()
      return { status: 200, json: this.assetJson(release, asset) }
    },

    'repos/delete-release-asset': (call, docs) => {
      const found = this.assetById(call.path.asset_id)
      if (!found) return notFound(docs)
      found.release.assets.splice(found.release.assets.indexOf(found.asset), 1)
      return { status: 204 }
    }
  }

  private checkRelease(tag: string, body: string | undefined, docs: string): Reply | undefined {
    if (tag.trim() === '') {
      return validationFailed(
        [{ resource: 'Release', code: 'missing_field', field: 'tag_name' }],
        docs
      )
    }
    if (body !== undefined && body.length > MAX_BODY_CHARS) return bodyTooLong(docs)
    return undefined
  }

  private leaveStarter(call: Call): void {
    const release = this.byId(call.path.release_id)
    const given = call.query.name
    if (!release || typeof given !== 'string' || given === '') return
    const name = assetName(given)
    if (release.assets.some(a => a.name === name)) return
    const now = new Date()
    release.assets.push({
      id: this.nextAssetId++,
      name,
      label: typeof call.query.label === 'string' ? call.query.label : '',
      state: 'starter',
      contentType: String(call.headers['content-type'] ?? 'application/octet-stream'),
      data: Buffer.alloc(0),
      createdAt: now,
      updatedAt: now
    })
  }

  /**
   * One page of `items` with GitHub's Link header (`<…?per_page=100&page=2>; rel="next"`, then
   * last, or prev and first on later pages). per_page defaults to `perPageDefault`, and more than
   * 100 is 100.
   */
  private page<T>(
    call: Call,
    items: T[],
    perPageDefault: number,
    json: (item: T) => unknown
  ): Reply {
    const asked = call.query.per_page
    const perPage =
      typeof asked === 'number' && asked >= 1 ? Math.min(Math.floor(asked), 100) : perPageDefault
    const askedPage = call.query.page
    const page = typeof askedPage === 'number' && askedPage >= 1 ? Math.floor(askedPage) : 1
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const slice = items.slice((page - 1) * perPage, page * perPage)
    const link = (n: number, rel: string): string => {
      const q = new URLSearchParams()
      for (const [k, v] of Object.entries(call.query)) if (k !== 'page') q.set(k, String(v))
      q.set('page', String(n))
      return `<${this.apiUrl}${call.requestPath}?${q}>; rel="${rel}"`
    }
    const links: string[] = []
    if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'))
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
    if (page > 1) links.push(link(1, 'first'))
    return {
      status: 200,
      json: slice.map(json),
      headers: links.length ? { link: links.join(', ') } : undefined
    }
  }

  // --- latest ----------------------------------------------------------------------------------

  /**
   * GitHub keeps "latest" as a setting of the repository: `true` points it at this release (if
   * it is published and not a prerelease: drafts and prereleases cannot be latest), `false`
   * leaves it, `legacy` picks by creation date and then semantic version. When the pointer is
   * empty or its release is no longer eligible (deleted, made a draft or a prerelease), the
   * legacy rule picks again.
   */
  private makeLatest(release: Release, mode: MakeLatest | undefined): void {
    if (mode === 'true' && eligible(release) && this.list.includes(release)) {
      this.latestId = release.id
    } else if (mode === 'legacy') {
      this.latestId = this.legacyLatest()?.id
    }
    const current = this.latest()
    if (!current || !eligible(current)) this.latestId = this.legacyLatest()?.id
  }

  private legacyLatest(): Release | undefined {
    return this.list.filter(eligible).sort((a, b) => {
      const byDate = b.createdAt.getTime() - a.createdAt.getTime()
      if (byDate !== 0) return byDate
      const va = semver.valid(semver.clean(a.tag) ?? a.tag)
      const vb = semver.valid(semver.clean(b.tag) ?? b.tag)
      if (va && vb && semver.compare(vb, va) !== 0) return semver.compare(vb, va)
      if (va && !vb) return -1
      if (vb && !va) return 1
      return b.id - a.id
    })[0]
  }

  // --- objects ---------------------------------------------------------------------------------

  private newRelease(o: {
    tag: string
    name: string | null
    body: string | null
    draft: boolean
    prerelease: boolean
    createdAt: Date
    targetCommitish: string
  }): Release {
    const release: Release = {
      id: this.nextReleaseId++,
      ...o,
      publishedAt: o.draft ? null : o.createdAt,
      updatedAt: o.createdAt,
      untagged: randomBytes(10).toString('hex'),
      assets: []
    }
    this.list.push(release)
    return release
  }

  /** Newest first, as GET /releases lists them. */
  private ordered(): Release[] {
    return [...this.list].sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id
    )
  }

  private published(tag: string): Release | undefined {
    return this.list.find(r => !r.draft && r.tag === tag)
  }

  private byId(id: unknown): Release | undefined {
    return this.list.find(r => r.id === id)
  }

  private assetById(id: unknown): { release: Release; asset: Asset } | undefined {
    for (const release of this.list) {
      const asset = release.assets.find(a => a.id === id)
      if (asset) return { release, asset }
    }
    return undefined
  }

  private notes(tag: string, previous: string | undefined): { name: string; body: string } {
    const web = `${SERVER_URL}/${this.owner}/${this.repo}`
    const changelog = previous ? `${web}/compare/${previous}...${tag}` : `${web}/commits/${tag}`
    return {
      name: tag,
      body: `## What's Changed\n\n\n**Full Changelog**: ${changelog}`
    }
  }

  private repoApi(): string {
    return `${this.apiUrl}/repos/${this.owner}/${this.repo}`
  }

  private releaseUrl(release: Release): string {
    return `${this.repoApi()}/releases/${release.id}`
  }

  /** The tag in web URLs: drafts are `untagged-…` until published. */
  private webTag(release: Release): string {
    return release.draft ? `untagged-${release.untagged}` : encodeURIComponent(release.tag)
  }

  private releaseJson(release: Release): Record<string, unknown> {
    const url = this.releaseUrl(release)
    const tag = encodeURIComponent(release.tag)
    return {
      url,
      assets_url: `${url}/assets`,
      upload_url:
        `${this.uploadUrlBase}/repos/${this.owner}/${this.repo}/releases/${release.id}` +
        '/assets{?name,label}',
      html_url: `${SERVER_URL}/${this.owner}/${this.repo}/releases/tag/${this.webTag(release)}`,
      id: release.id,
      author: this.user(),
      node_id: nodeId('RE', release.id),
      tag_name: release.tag,
      target_commitish: release.targetCommitish,
      name: release.name,
      draft: release.draft,
      immutable: false,
      prerelease: release.prerelease,
      created_at: timestamp(release.createdAt),
      updated_at: timestamp(release.updatedAt),
      published_at: release.publishedAt ? timestamp(release.publishedAt) : null,
      assets: release.assets.map(a => this.assetJson(release, a)),
      // A draft's tag may not exist yet: no source archives.
      tarball_url: release.draft ? null : `${this.repoApi()}/tarball/${tag}`,
      zipball_url: release.draft ? null : `${this.repoApi()}/zipball/${tag}`,
      body: release.body
    }
  }

  private assetJson(release: Release, asset: Asset): Record<string, unknown> {
    return {
      url: `${this.repoApi()}/releases/assets/${asset.id}`,
      id: asset.id,
      node_id: nodeId('RA', asset.id),
      name: asset.name,
      label: asset.label,
      uploader: this.user(),
      content_type: asset.contentType,
      state: asset.state,
      size: asset.data.length,
      digest: asset.state === 'uploaded' ? `sha256:${sha256(asset.data)}` : null,
      download_count: 0,
      created_at: timestamp(asset.createdAt),
      updated_at: timestamp(asset.updatedAt),
      browser_download_url:
        `${SERVER_URL}/${this.owner}/${this.repo}/releases/download/` +
        `${this.webTag(release)}/${encodeURIComponent(asset.name)}`
    }
  }

  /** The simple-user GITHUB_TOKEN acts as. */
  private user(): Record<string, unknown> {
    const users = `${this.apiUrl}/users/${encodeURIComponent(BOT.login)}`
    return {
      login: BOT.login,
      id: BOT.id,
      node_id: BOT.nodeId,
      avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
      gravatar_id: '',
      url: users,
      html_url: `${SERVER_URL}/apps/github-actions`,
      followers_url: `${users}/followers`,
      following_url: `${users}/following{/other_user}`,
      gists_url: `${users}/gists{/gist_id}`,
      starred_url: `${users}/starred{/owner}{/repo}`,
      subscriptions_url: `${users}/subscriptions`,
      organizations_url: `${users}/orgs`,
      repos_url: `${users}/repos`,
      events_url: `${users}/events{/privacy}`,
      received_events_url: `${users}/received_events`,
      type: 'Bot',
      user_view_type: 'public',
      site_admin: false
    }
  }
}

function eligible(release: Release): boolean {
  return !release.draft && !release.prerelease
}

/**
 * GitHub renames asset files with special characters or leading/trailing periods. The exact
 * rule is unpublished; this approximates it: anything outside [A-Za-z0-9._+-] becomes `.`,
 * and leading and trailing periods go.
 */
function assetName(name: string): string {
  return name.replace(/[^A-Za-z0-9._+-]/g, '.').replace(/^\.+|\.+$/g, '')
}

function nodeId(prefix: string, id: number): string {
  return `${prefix}_kwDO${Buffer.from(`stand-in:${id}`).toString('base64url')}`
}

/** GitHub's timestamps: ISO 8601 in UTC without milliseconds. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/** GitHub's error body: message, documentation_url and (lately) the status as a string. */
function errorReply(status: number, message: string, docs: string): Reply {
  return { status, json: { message, documentation_url: docs, status: String(status) } }
}

function notFound(docs: string): Reply {
  return errorReply(404, 'Not Found', docs)
}

function validationFailed(errors: Array<Record<string, string>>, docs: string): Reply {
  return {
    status: 422,
    json: { message: 'Validation Failed', errors, documentation_url: docs, status: '422' }
  }
}

function alreadyExists(resource: string, field: string, docs: string): Reply {
  return validationFailed([{ resource, code: 'already_exists', field }], docs)
}

function bodyTooLong(docs: string): Reply {
  return validationFailed(
    [
      {
        resource: 'Release',
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${MAX_BODY_CHARS} characters)`
      }
    ],
    docs
  )
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: http.ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    'x-github-media-type': 'github.v3; format=json',
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    ...reply.headers
  }
  let payload: Buffer | undefined
  if (reply.bytes) {
    payload = reply.bytes
    headers['content-type'] = reply.contentType ?? 'application/octet-stream'
  } else if (reply.json !== undefined) {
    payload = Buffer.from(JSON.stringify(reply.json))
    headers['content-type'] = 'application/json; charset=utf-8'
  }
  if (payload) headers['content-length'] = String(payload.length)
  res.writeHead(reply.status, headers)
  res.end(payload)
}
