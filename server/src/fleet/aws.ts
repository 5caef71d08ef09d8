// Where the fleet code meets the AWS SDK for JavaScript v3. The SDK is loaded with dynamic
// `import()` on first use so a language server that never scans a fleet never pays for it.
// Clients use the SDK's own configuration: credentials from the standard chain (or one named
// profile, SSO included), and the standard endpoint settings (`AWS_ENDPOINT_URL`,
// `AWS_ENDPOINT_URL_EC2`, …, which is how the tests point it at moto), adaptive retries for
// throttling, and a request timeout so a region that hangs fails on its own.

import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { STSClient } from "@aws-sdk/client-sts";

export interface ConnectionOptions {
  profile?: string;
  /** Per HTTP request; a region that does not answer fails with `timeout`. */
  requestTimeoutMs?: number;
  /** Attempts per call, including the first (adaptive retry mode). */
  maxAttempts?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_ATTEMPTS = 4;

// The SDK warns on every Node below 22 that future releases will need it. Node 20 is supported
// here (package.json engines); the warning would only clutter the CLI's stderr and the server log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export type Ec2Sdk = typeof import("@aws-sdk/client-ec2");
export type CloudWatchSdk = typeof import("@aws-sdk/client-cloudwatch");
export type StsSdk = typeof import("@aws-sdk/client-sts");

let ec2Sdk: Promise<Ec2Sdk> | undefined;
let cloudWatchSdk: Promise<CloudWatchSdk> | undefined;
let stsSdk: Promise<StsSdk> | undefined;

export function loadEc2(): Promise<Ec2Sdk> {
  ec2Sdk ??= import("@aws-sdk/client-ec2");
  return ec2Sdk;
}

export function loadCloudWatch(): Promise<CloudWatchSdk> {
  cloudWatchSdk ??= import("@aws-sdk/client-cloudwatch");
  return cloudWatchSdk;
}

export function loadSts(): Promise<StsSdk> {
  stsSdk ??= import("@aws-sdk/client-sts");
  return stsSdk;
}

type CredentialProvider = ReturnType<typeof import("@aws-sdk/credential-providers").fromNodeProviderChain>;

/** One credential provider per profile, so an SSO or assume-role session is resolved once and shared. */
const providers = new Map<string, CredentialProvider>();

async function credentialsFor(profile: string | undefined): Promise<CredentialProvider> {
  const key = profile ?? "";
  const cached = providers.get(key);
  if (cached) return cached;
  const { fromIni, fromNodeProviderChain } = await import("@aws-sdk/credential-providers");
  // A named profile must fail as itself (expired SSO, missing profile) instead of silently falling
  // through to environment or instance credentials, so it gets fromIni, not the whole chain.
  const provider = profile ? fromIni({ profile }) : fromNodeProviderChain();
  providers.set(key, provider);
  return provider;
}

/** Forget one profile's cached session (undefined: the default chain's), e.g. so a refresh picks up a new `aws sso login`. */
export function forgetCredentials(profile?: string): void {
  providers.delete(profile ?? "");
}

async function clientConfig(region: string, options: ConnectionOptions) {
  return {
    region,
    credentials: await credentialsFor(options.profile),
    retryMode: "adaptive",
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: {
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      connectionTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  };
}

export async function ec2Client(region: string, options: ConnectionOptions): Promise<EC2Client> {
  const { EC2Client } = await loadEc2();
  return new EC2Client(await clientConfig(region, options));
}

export async function cloudWatchClient(
  region: string,
  options: ConnectionOptions,
): Promise<CloudWatchClient> {
  const { CloudWatchClient } = await loadCloudWatch();
  return new CloudWatchClient(await clientConfig(region, options));
}

export async function stsClient(region: string, options: ConnectionOptions): Promise<STSClient> {
  const { STSClient } = await loadSts();
  return new STSClient(await clientConfig(region, options));
}
