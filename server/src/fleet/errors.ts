// Turns whatever the SDK throws into a FleetError a person can act on: which case it is, one
// sentence, and the command that fixes it. Messages pass through `redact` so an access key id or
// a token that an error happens to echo never reaches a log, the tree or the CLI's output.

import type { FleetError, FleetErrorCode } from "../shared/fleetProtocol";

const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g;
const LONG_SECRET = /[A-Za-z0-9/+=]{40,}/g;

export function redact(text: string): string {
  return text.replace(ACCESS_KEY_ID, "[redacted key id]").replace(LONG_SECRET, "[redacted]");
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  cause?: unknown;
}

function errorFacts(error: unknown): { name: string; message: string } {
  if (error && typeof error === "object") {
    const e = error as ErrorLike;
    const name = e.name && e.name !== "Error" ? e.name : (e.Code ?? e.code ?? "Error");
    return { name, message: redact(String(e.message ?? name)) };
  }
  return { name: "Error", message: redact(String(error)) };
}

const CODES: readonly [RegExp, FleetErrorCode][] = [
  [
    /^(?:UnauthorizedOperation|AccessDenied|AccessDeniedException|UnauthorizedAccess|Blocked)$/,
    "access-denied",
  ],
  [/^OptInRequired$/, "opt-in-required"],
  [
    /^(?:Throttling|ThrottlingException|RequestLimitExceeded|TooManyRequestsException|RequestThrottled)$/,
    "throttled",
  ],
  [/^(?:TimeoutError|RequestTimeout|RequestTimeoutException)$/, "timeout"],
  [/^(?:ExpiredToken|ExpiredTokenException|RequestExpired)$/, "sso-expired"],
  [
    /^(?:InvalidClientTokenId|AuthFailure|SignatureDoesNotMatch|UnrecognizedClientException)$/,
    "profile-invalid",
  ],
  [/NotFound$|\.Malformed$/, "not-found"],
];

export interface ErrorContext {
  profile?: string;
  region?: string;
  /** The profile uses IAM Identity Center (SSO), so `aws sso login` is the remedy for expiry. */
  ssoProfile?: boolean;
}

export function toFleetError(error: unknown, context: ErrorContext = {}): FleetError {
  const { name, message } = errorFacts(error);
  const code = classify(name, message, error);
  return { code, message: humanMessage(code, message, context), ...remedyFor(code, context) };
}

function classify(name: string, message: string, error: unknown): FleetErrorCode {
  if (name === "CredentialsProviderError" || /Could not load credentials/i.test(message)) {
    if (/sso|token.*expired|expired.*token|refresh/i.test(message)) return "sso-expired";
    if (/profile.*(?:could not be found|not found|does not exist)|using profile/i.test(message))
      return "profile-invalid";
    return "no-credentials";
  }
  if (name === "TokenProviderError") return "sso-expired";
  if (/Profile .* (?:could not be found|not found)/i.test(message)) return "profile-invalid";
  for (const [pattern, code] of CODES) if (pattern.test(name)) return code;
  const systemCode = systemErrorCode(error);
  if (systemCode === "ETIMEDOUT" || /timed? ?out|timeout/i.test(message)) return "timeout";
  if (
    systemCode &&
    /^(?:ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/.test(systemCode)
  )
    return "unreachable";
  return "unknown";
}

function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 4; depth++) {
    const e = current as ErrorLike;
    if (typeof e.code === "string" && /^E[A-Z_]+$/.test(e.code)) return e.code;
    const aggregate = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(aggregate) && aggregate.length > 0) current = aggregate[0];
    else current = e.cause;
  }
  return undefined;
}

function where(context: ErrorContext): string {
  return context.region ? ` in ${context.region}` : "";
}

function humanMessage(code: FleetErrorCode, detail: string, context: ErrorContext): string {
  const profile = context.profile ? `profile "${context.profile}"` : "the default credential chain";
  switch (code) {
    case "no-credentials":
      return `No AWS credentials found for ${profile}.`;
    case "sso-expired":
      return `The credentials of ${profile} have expired (${detail}).`;
    case "profile-invalid":
      return `AWS did not accept ${profile}: ${detail}`;
    case "access-denied":
      return `Access denied${where(context)}: ${detail}`;
    case "opt-in-required":
      return `Region ${context.region ?? ""} is an opt-in region that is not enabled for this account.`;
    case "throttled":
      return `AWS kept throttling requests${where(context)} after adaptive retries: ${detail}`;
    case "timeout":
      return `AWS did not answer in time${where(context)}.`;
    case "unreachable":
      return `Could not reach the AWS endpoint${where(context)}: ${detail}`;
    case "not-found":
      return detail;
    case "unknown":
      return `AWS request failed${where(context)}: ${detail}`;
  }
}

function remedyFor(code: FleetErrorCode, context: ErrorContext): { remedy?: string } {
  const profileFlag = context.profile ? ` --profile ${context.profile}` : "";
  switch (code) {
    case "no-credentials":
      return { remedy: `aws configure${profileFlag}  (or aws configure sso${profileFlag})` };
    case "sso-expired":
      return {
        remedy: context.ssoProfile === false ? `aws configure${profileFlag}` : `aws sso login${profileFlag}`,
      };
    case "profile-invalid":
      return { remedy: `aws configure list${profileFlag}` };
    case "opt-in-required":
      return { remedy: `aws account enable-region --region-name ${context.region ?? "<region>"}` };
    case "access-denied":
      return { remedy: "attach the read-only policy in docs/fleet/iam-read-only.json to this identity" };
    default:
      return {};
  }
}
