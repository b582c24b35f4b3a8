// The vocabularies of the errors source-controller relays: go-git and x/crypto/ssh, Helm's getter and repo packages,
// go-containerregistry and the registries, the Bucket providers' SDKs, and the network itself. classify.ts decides
// with them which class a failure is in; image and other families reuse the network and host-key ones.

/**
 * Git servers refusing credentials: go-git (`authentication required`, `authorization failed`), x/crypto/ssh, hosts'
 * wording, and libgit2's HTTP transport giving up after the server kept answering 401/407 to the credentials it sent
 * (`too many redirects or authentication replays`, gitImplementation: libgit2, Flux ≤ 0.41).
 */
export const GIT_AUTH = /authentication required|authorization failed|unable to authenticate|failed to authenticate|invalid credentials|permission denied \(publickey\)|Invalid username or (?:password|token)|HTTP Basic: Access denied|\b401\b|\b403\b|Unauthorized|could not read Username|Bad credentials|invalid auth method|too many redirects or authentication replays/i;

/** libgit2's HTTP replay cap (src/transports/http.c): the credentials were sent and refused again and again. */
export const LIBGIT2_AUTH_REPLAYS = /too many redirects or authentication replays/i;

/**
 * libssh2 could not derive the public key from the private key libgit2 handed it (`Failed to authenticate SSH session:
 * Unable to extract public key from private key[ file: …]`): a key type or format that libssh2 build cannot read
 * (ed25519 or OpenSSH-format keys with the libgit2 of Flux 0.15–0.16), decided on the client before the server is asked.
 */
export const LIBGIT2_KEY_PARSE = /Unable to extract public key from private key/i;

/**
 * x/crypto/ssh parsing the Secret's identity with its `password`: a password given for a key that is not encrypted
 * (PEM: `ssh: not an encrypted key`, OpenSSH format: `ssh: key is not password protected`: libgit2 and go-git < v5.4,
 * Flux 0.x, parse with the password whenever the Secret has one), or none / a wrong one for a key that is (`ssh: this private key is passphrase
 * protected`, `x509: decryption password incorrect`). An OpenSSH-format encrypted key parsed with an empty passphrase
 * fails in x/crypto's bcrypt_pbkdf instead (`bcrypt_pbkdf: empty password`: fluxcd/pkg's go-git auth, Flux 2.0+, wraps
 * it as `unable to construct auth method with options: …`): the Secret has no `password` key.
 */
export const SSH_KEY_NOT_ENCRYPTED = /ssh: not an encrypted key|ssh: key is not password protected/;
export const SSH_KEY_PASSPHRASE = /ssh: this private key is passphrase protected|x509: decryption password incorrect|bcrypt_pbkdf: empty password/;
/** The passphrase-protected key was parsed with no passphrase at all (not a wrong one). */
export const SSH_KEY_NO_PASSPHRASE = /bcrypt_pbkdf: empty password|ssh: this private key is passphrase protected/;

/**
 * go-git v5's `unknown error: <line>` (plumbing/transport/internal/common, checkNotFoundError): the first line the Git
 * server wrote to stderr that go-git has no error of its own for, usually `remote: <the server's explanation>`. A bare
 * `unknown error: remote: ` (GitLab's blank first line, source-controller#1239) says nothing and does not match.
 */
export const GIT_SERVER_MESSAGE = /\bunknown error: (?:remote: *)?((?!remote:\s*$)[^\n]*\S)/;

/**
 * Azure DevOps over SSH refusing the repository path of the URL (`remote: Command git-upload-pack '<path>' is not in
 * expected format.`, git-receive-pack when pushing): its SSH paths are v3/<org>/<project>/<repo> (source-controller#197).
 */
export const AZURE_SSH_PATH = /Command git-(?:upload|receive)-pack '[^']*' is not in expected format/i;

/**
 * go-git could not resolve a REF_DELTA object of the packfile the server sent (plumbing/format/packfile
 * ErrReferenceDeltaNotFound, `reference delta not found`): servers such as AWS CodeCommit send packs go-git's parser of
 * that time could not read. The client, not the repository or the credentials.
 */
export const GOGIT_REF_DELTA = /reference delta not found/i;

/**
 * An S3-compatible server without the call minio-go made: the S3 NotImplemented error (GCS's XML API: `A header or query
 * you provided requested a function that is not implemented.`; AWS: `A header you provided implies functionality that is
 * not implemented`), e.g. ListObjectsV2 against GCS's interoperability layer with provider generic.
 */
export const S3_NOT_IMPLEMENTED = /requested a function that is not implemented|implies functionality that is not implemented/i;

/** Azure DevOps refusing SHA-1 RSA signatures (its `ssh-rsa … deprecated … use rsa-sha2-256 or rsa-sha2-512` answer). */
export const AZURE_SSH_RSA = /\bssh-rsa\b.*\brsa-sha2-(?:256|512)\b/i;

/**
 * go-git without an SSH private key: when the Secret has no `identity` key, fluxcd/pkg's SSH auth falls back to the
 * SSH agent, which a controller pod never has (`error creating SSH agent: "SSH agent requested but SSH_AUTH_SOCK not-specified"`).
 */
export const SSH_AGENT_FALLBACK = /error creating SSH agent|SSH agent requested but SSH_AUTH_SOCK/i;

/**
 * The GitHub App private key (githubAppPrivateKey of a spec.provider: github Secret) does not load: golang-jwt's
 * ParseRSAPrivateKeyFromPEM, wrapped `could not parse private key: …` by ghinstallation (fluxcd/pkg git/github, Flux 2.5,
 * surfacing as `failed to checkout and determine revision: …`) and by fluxcd/pkg auth/githubapp (Flux 2.6+, under
 * `failed to configure authentication options: …`). Tails: `invalid key: Key must be a PEM encoded PKCS1 or PKCS8 key`
 * (no PEM block), `asn1: structure error: …` (a PEM block that is neither PKCS#1 nor PKCS#8, e.g. an OpenSSH key),
 * `key is not a valid RSA private key` (PKCS#8 of another key type).
 */
export const GITHUB_APP_KEY = /could not parse private key: /;

/**
 * libgit2's SSH session errors (gitImplementation: libgit2, source-controller ≤ v0.36 / Flux ≤ 0.41): the handshake or
 * the authentication method negotiation failed, mostly on the key (format, type) or the SSH user, not the network.
 */
export const LIBGIT2_SSH = /Failed to retrieve list of SSH authentication methods|Failed to start SSH session|Unable to exchange encryption keys/i;

/**
 * libssh2 gave up waiting on the SSH socket (LIBSSH2_ERROR_TIMEOUT: `Timed out waiting on socket` when select/poll timed
 * out, `Error waiting on socket` when it failed), appended by libgit2's ssh_error to the step it was in (`SSH could not
 * read data: …`, `Failed to open SSH channel: …`, `Failed to retrieve list of SSH authentication methods: …`):
 * gitImplementation: libgit2, Flux ≤ 0.41. A network read timeout, whatever the step.
 */
export const LIBSSH2_SOCKET = /(?:Timed out|Error) waiting on socket/i;

/** libgit2 asked for credentials by the remote while none are configured (no secretRef, or HTTPS without username/password). */
export const LIBGIT2_NO_CREDENTIALS = /remote authentication required but no callback set/i;

/** known_hosts problems: x/crypto/ssh/knownhosts KeyError (`knownhosts: key mismatch`, `knownhosts: key is unknown`), malformed known_hosts data, no common host key algorithm. */
export const HOST_KEY = /knownhosts: |host key mismatch|hostkey (?:could not be verified|verification)|REMOTE HOST IDENTIFICATION HAS CHANGED|no common algorithm for host key|ssh: host key/i;

/** The Git ref does not exist: go-git (`couldn't find remote ref "refs/heads/x"` v5, `couldn't find remote ref: refs/heads/x` v6, `reference not found`, `object not found`) and fluxcd/pkg gogit. */
export const GIT_REF = /couldn't find remote ref|reference not found|reference '[^']*' not found|no match found for semver|unable to resolve ref '[^']*' to a specific commit|unable to resolve commit object for '|unable to checkout commit '|unable to find reference for tag|object not found|semver parse error|failed to sparse checkout directories|sparse checkout dir '[^']*' does not exist/i;

/** A bare go-git `object not found` after `unable to clone '<url>': ` (no commit or ref named): see classify's gitHistoryMismatch. */
export const GIT_HISTORY_MISMATCH = /unable to clone(?: '[^']*')?(?::|, error:) object not found\s*$/;

/** Submodule phase of a clone: go-git's `entry not found` (a .gitmodules path with no gitlink in the index), `feature not supported` (source-controller v0.37.x chroot bug), or any error naming a submodule. */
export const GIT_SUBMODULE = /unable to clone(?: '[^']*')?(?::|, error:) (?:entry not found|feature not supported)\s*$|submodule/i;

/** The Git repository does not exist (or the credentials may not see it: hosts answer 404 for private repositories). */
export const GIT_REPO_NOT_FOUND = /repository not found|does not appear to be a git repository|project you were looking for could not be found|could not be found or you don't have permission|repository '[^']*' not found/i;

/** Registries, Helm repositories and buckets refusing credentials. */
export const CRED_REJECTED = /\b40[13]\b|unauthori[sz]ed|\bDENIED\b|access denied|access to the resource is denied|\bForbidden\b|authentication required|authentication failed|incorrect username or password|invalid username|Bad credentials|InvalidAccessKeyId|SignatureDoesNotMatch|Access Key Id you provided does not exist|request signature we calculated does not match|AuthorizationPermissionMismatch|AuthorizationFailure|no basic auth credentials|invalid_grant|invalid_client/i;

/** Registry login (Helm's registry client: source-controller ≤ v1.7, v1.0 said `OCI chart repository for HelmRepository '…'`) and Helm repository authentication, whose tail says whether the server refused. */
export const LOGIN_FAILED = /failed to (?:login to OCI (?:registry|chart repository)|authenticate with the Helm repository)\b/i;
export const LOGIN_REJECTED = /\b40[13]\b|unauthori[sz]ed|denied|forbidden|authentication required/i;

/** minio-go rejecting spec.endpoint when the client is created (a scheme or path in it); the Bucket controller reports it as AuthenticationFailed. */
export const BUCKET_ENDPOINT_INVALID = /Endpoint url cannot (?:have fully qualified paths|be empty)|Endpoint: .* does not follow ip address or domain name standards|Amazon S3 endpoint should be|Google Cloud Storage endpoint should be/i;
/**
 * A request signed for another region than the bucket's: S3's AuthorizationHeaderMalformed message (`The authorization
 * header is malformed; the region '<spec.region>' is wrong; expecting '<bucket region>'`, or minio-go's default text
 * without the regions), and minio-go's own for InvalidRegion (`Region does not match, expecting region ‘<region>’.`).
 */
export const BUCKET_REGION = /authorization header is malformed; the region\b|Region does not match, expecting region|301 response missing Location header|must be addressed using the specified endpoint/i;
/** S3 answers a regional endpoint of another region than the bucket's with a 301 (PermanentRedirect) minio-go does not follow. */
export const BUCKET_REDIRECT = /301 response missing Location header|must be addressed using the specified endpoint/i;
/** The two regions of a BUCKET_REGION message, when the server named them. */
export const BUCKET_REGIONS = /the region '([^']*)' is wrong; expecting '([^']*)'|expecting region [‘'"]([^’'"]+)[’'"]/;
/** Bucket provider identity: AWS SDK credential chain (v1.7+ `AWS authentication failed: `), Azure credential chain / token credential. */
export const BUCKET_PROVIDER_AUTH = /^AWS authentication failed: |failed to create environment credential chain|failed to create token credential from /;
/** IRSA / instance-profile failures of the AWS SDK (≤ v1.6 they surface inside `failed to confirm existence of '<bucket>' bucket: …`). */
export const AWS_IDENTITY = /Request ARN is invalid|AssumeRoleWithWebIdentity|InvalidIdentityToken|WebIdentityErr|no EC2 IMDS role found/;

/** go-git's error for an HTTP status it has no named error for (v5: `unexpected client error: unexpected requesting "<url>" status code: 400`). */
export const GOGIT_STATUS = /unexpected requesting "[^"]*" status code: (\d{3})/;

/** The wordings of an index that was downloaded but does not load (parse errors, size, missing apiVersion), in any Flux version. */
export const HELM_INDEX_PARSE = /failed to load Helm repository from index YAML|failed to load index|error converting YAML to JSON|\byaml: |no API version specified|exceeds the maximum index file size|failed to calculate revision/i;

/** An OCI registry asking for basic auth when no credentials were sent (oras/go-containerregistry): nothing was configured, or the cloud login yielded none. */
export const NO_CREDENTIALS_SENT = /credential required for basic auth/i;

/** A Helm repository index that does not parse as YAML (sigs.k8s.io/yaml), reported without prefix by the v1beta1 controllers. */
export const HELM_INDEX_YAML = /^error converting YAML to JSON: /;

/** A Chart.yaml that is missing or does not validate (Helm's `validation: chart.metadata.…`, source-controller's LoadChartMetadata). */
export const CHART_METADATA = /validation: (?:chart\.metadata|dependencies)|chart\.metadata\.\w+ (?:is required|"[^"]*" is invalid)|cannot load '(?:Chart|requirements)\.yaml'|Chart\.yaml: no such file or directory|no 'Chart\.yaml' found|Chart\.yaml file is missing/i;
/**
 * An OCI chart reference the registry does not know (exact versions skip the tag lookup: containerd's resolver `<ref>: not found`);
 * older source-controller releases wrote the bare reference (source-controller#933): `failed to download chart for remote reference: <host>/<path>:<tag>: not found`.
 */
export const OCI_REF_NOT_FOUND = /failed to get 'oci:\/\/[^']+': [^\s']+: not found\s*$|failed to download chart for remote reference: (?:[^\s/']+\/)+[^\s/':]+:[^\s']+: not found\s*$/;
/** The manifest resolved but a blob it lists is missing (garbage-collected or half-pushed chart). */
export const OCI_BLOB_MISSING = /could not fetch content descriptor/;

/** crypto/tls: the server (or a middlebox in front of it) ended the handshake with an alert, `remote error: tls: <alert>`. */
export const TLS_ALERT = /remote error: tls: ([a-z][\w ()-]*[\w)])/i;
/**
 * crypto/x509's CertificateInvalidError for a certificate outside its validity; later Go releases add the detail
 * `: current time <now> is after <notAfter>` (expired) or `is before <notBefore>` (not yet valid), both RFC 3339.
 */
export const CERT_VALIDITY = /x509: certificate has expired or is not yet valid(?:: current time (\S+?) is (after|before) (\S+?)(?=["'\s,;]|$))?/;

export const DNS = /no such host|server misbehaving|name resolution|could not resolve host|Name or service not known|lookup \S+ on \S+: /i;
export const TIMEOUT = /context deadline exceeded|Error waiting on socket|i\/o timeout|Client\.Timeout exceeded|timed out|handshake timeout|deadline exceeded/i;
export const TLS = /x509: |certificate signed by unknown authority|certificate has expired|certificate is not valid|certificate is valid for|unknown certificate authority|tls: |remote error: tls|first record does not look like a TLS handshake/i;
export const PROXY = /proxyconnect|Proxy Authentication Required|proxy error/i;
export const REFUSED = /connection refused|connection reset|no route to host|network is unreachable|broken pipe|unexpected EOF|: EOF\b|\bEOF$/i;
/** An HTTP/2 stream reset or connection shutdown mid-transfer (CDNs, proxies): transient, like a reset connection. */
export const STREAM = /stream error: stream ID \d+|\bINTERNAL_ERROR\b|http2: server sent GOAWAY/i;
export const SERVER = /\b50[0234] (?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)|status code:? 5\d\d\b|Internal Server Error|Bad Gateway|Service Unavailable|TOOMANYREQUESTS|\b429\b|Too Many Requests|rate limit/i;

/** Which network problem a message describes, or null (order: most telling first). */
export function networkProblem(message: string): 'dns' | 'tls' | 'proxy' | 'timeout' | 'refused' | 'stream' | 'server' | null {
  if (DNS.test(message)) return 'dns';
  if (TLS.test(message)) return 'tls';
  if (PROXY.test(message)) return 'proxy';
  if (TIMEOUT.test(message)) return 'timeout';
  if (REFUSED.test(message)) return 'refused';
  if (STREAM.test(message)) return 'stream';
  if (SERVER.test(message)) return 'server';
  return null;
}

/** A Secret that is missing or does not hold what the controller needs. */
export const SECRET_PROBLEM = /failed to get (?:\w+ )*secret '|secrets? "[^"]+" not found|secret '[^']*' not found|invalid '[^']*' secret data|secret data|required fields?|identity key is encrypted|failed to configure (?:proxy|authentication) options|failed to get proxy|failed to get TLS config|TLS config|failed to detect authentication methods|failed to parse|cannot parse|no identity|invalid private key|ssh: no key found|failed to read|failed to get credential: |failed to generate transport/i;

/** The controller's own disk, wherever the step that hit it (a clone into /tmp, the artifact storage under /data). */
export const LOCAL_DISK = /no space left on device|read-only file system|disk quota exceeded/i;

export const STORAGE_MESSAGE = /^(?:failed to create (?:artifact|temporary working) directory|failed to create directory to untar source into|unable to (?:archive|save|copy) (?:artifact|Helm chart) to storage|unable to copy artifact to storage|failed to acquire lock for artifact|failed to stat (?:target artifact|source) path|invalid target path|source path '[^']*' is not a directory|unable to get JSON index from chart repo)/i;
export const STORAGE_REASONS = new Set(['DirectoryCreationFailed', 'StatOperationFailed', 'ArchiveOperationFailed', 'AcquireLockFailed', 'SymlinkUpdateFailed']);

// VerificationFailed: the v1beta1 (Flux 0.x) reason for every failed commit verification.
export const VERIFICATION_REASONS = new Set(['VerificationFailed', 'VerificationError', 'InvalidVerificationMode', 'InvalidCommitSignature', 'InvalidTagSignature', 'InvalidGitObject', 'ChartVerificationError']);

export const CHART_VERSION = /no '[^']*' chart with version matching|could not locate a version matching|unable to locate any tags|no chart name found|no chart version found|MANIFEST_UNKNOWN|manifest unknown|NAME_UNKNOWN|name unknown|no match found for semver|\b404\b|not found/i;
