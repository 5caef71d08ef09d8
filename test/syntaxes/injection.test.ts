// The injection grammar, run by the TextMate engine VS Code uses (vscode-textmate + Oniguruma) on top
// of the real YAML, JSON, shell, Python, TypeScript and Go grammars: IMDS endpoints and token headers
// inside strings get our scopes; comments and look-alike addresses do not.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import * as oniguruma from "vscode-oniguruma";
import { type IGrammar, INITIAL, type IRawGrammar, parseRawGrammar, Registry } from "vscode-textmate";

const ROOT = join(__dirname, "../..");
const INJECTION_SCOPE = "imds-guard.injection";
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo: string[] }[] };
};
const contribution = manifest.contributes.grammars.find((grammar) => grammar.scopeName === INJECTION_SCOPE);
/** tm-grammars file per host scope (the grammars VS Code and Shiki ship). */
const HOSTS: Record<string, string> = {
  "source.yaml": "yaml",
  "source.json": "json",
  "source.shell": "shellscript",
  "source.python": "python",
  "source.ts": "typescript",
  "source.js": "javascript",
  "source.go": "go",
};

let registry: Registry;

before(async () => {
  const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName): Promise<IRawGrammar | null> => {
      if (scopeName === INJECTION_SCOPE && contribution) {
        const path = join(ROOT, contribution.path);
        return parseRawGrammar(readFileSync(path, "utf8"), path);
      }
      const host = HOSTS[scopeName];
      if (!host) return null;
      const path = require.resolve(`tm-grammars/grammars/${host}.json`);
      return parseRawGrammar(readFileSync(path, "utf8"), path);
    },
    getInjections: (scopeName) =>
      contribution?.injectTo.includes(scopeName) ? [INJECTION_SCOPE] : undefined,
  });
});

/** The scopes of the first token whose text is `text` on the (last) line of `source`. */
async function scopesOf(scopeName: string, source: string, text: string): Promise<string[]> {
  const grammar = (await registry.loadGrammar(scopeName)) as IGrammar;
  assert.ok(grammar, `no grammar for ${scopeName}`);
  let state = INITIAL;
  let found: string[] | undefined;
  for (const line of source.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    for (const token of result.tokens) {
      if (line.slice(token.startIndex, token.endIndex) === text) found = token.scopes;
    }
  }
  return found ?? [];
}

/** Every scope of ours anywhere in `source`: negative cases must not pass just because no token matched. */
async function allOurScopes(scopeName: string, source: string): Promise<string[]> {
  const grammar = (await registry.loadGrammar(scopeName)) as IGrammar;
  let state = INITIAL;
  const scopes: string[] = [];
  for (const line of source.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    for (const token of result.tokens) scopes.push(...ours(token.scopes));
  }
  return scopes;
}

const ours = (scopes: string[]) => scopes.filter((scope) => scope.endsWith(".imds-guard"));

describe("IMDS injection grammar", () => {
  test("is contributed for every host language it is tested with", () => {
    assert.ok(contribution, "package.json contributes no imds-guard.injection grammar");
    for (const scope of Object.keys(HOSTS)) assert.ok(contribution.injectTo.includes(scope), scope);
  });

  test("YAML: the IPv4 endpoint in a quoted and in a plain scalar", async () => {
    const quoted = await scopesOf(
      "source.yaml",
      'url: "http://169.254.169.254/latest/meta-data/"',
      "169.254.169.254",
    );
    assert.ok(quoted.includes("constant.language.imds-endpoint.ipv4.imds-guard"), quoted.join(" "));
    assert.ok(quoted.includes("markup.underline.imds-guard"), quoted.join(" "));
    const plain = await scopesOf("source.yaml", "url: http://169.254.169.254/latest/", "169.254.169.254");
    assert.ok(ours(plain).length > 0, plain.join(" "));
  });

  test("YAML: not in a comment, not inside a longer address", async () => {
    assert.deepEqual(await allOurScopes("source.yaml", "# curl http://169.254.169.254/"), []);
    assert.deepEqual(await allOurScopes("source.yaml", 'a: "10.169.254.169.254"'), []);
    assert.deepEqual(await allOurScopes("source.yaml", 'a: "169.254.169.2541"'), []);
    assert.deepEqual(await allOurScopes("source.yaml", 'a: "x-aws-ec2-metadata-tokens"'), []);
  });

  test("shell: both token headers and the endpoint of an IMDSv2 token request", async () => {
    const line =
      'TOKEN=$(curl -X PUT "http://169.254.169.254/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")';
    assert.ok(ours(await scopesOf("source.shell", line, "169.254.169.254")).length > 0);
    const ttl = await scopesOf("source.shell", line, "X-aws-ec2-metadata-token-ttl-seconds");
    assert.ok(ttl.includes("keyword.other.imds-token-ttl-header.imds-guard"), ttl.join(" "));
    const get = 'curl -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/';
    const header = await scopesOf("source.shell", get, "X-aws-ec2-metadata-token");
    assert.ok(header.includes("keyword.other.imds-token-header.imds-guard"), header.join(" "));
  });

  test("Python: the IPv6 endpoint and a lower-case header", async () => {
    const line =
      'requests.get("http://[fd00:ec2::254]/latest/meta-data/", headers={"x-aws-ec2-metadata-token": t})';
    assert.ok(ours(await scopesOf("source.python", line, "fd00:ec2::254")).length > 0);
    assert.ok(ours(await scopesOf("source.python", line, "x-aws-ec2-metadata-token")).length > 0);
  });

  test("TypeScript, JavaScript, Go and JSON: the endpoint inside string literals", async () => {
    const ts = 'const url = "http://instance-data/latest/meta-data/";';
    assert.ok(ours(await scopesOf("source.ts", ts, "instance-data")).length > 0);
    assert.ok(ours(await scopesOf("source.js", ts, "instance-data")).length > 0);
    const go = 'resp, err := http.Get("http://169.254.169.254/latest/meta-data/")';
    assert.ok(ours(await scopesOf("source.go", go, "169.254.169.254")).length > 0);
    const json = '{ "Endpoint": "169.254.169.254" }';
    assert.ok(ours(await scopesOf("source.json", json, "169.254.169.254")).length > 0);
  });

  test("code outside strings is left alone", async () => {
    assert.deepEqual(await allOurScopes("source.ts", "const endpoint = ip; // 169.254.169.254"), []);
    assert.deepEqual(await allOurScopes("source.python", "# X-aws-ec2-metadata-token"), []);
  });
});
