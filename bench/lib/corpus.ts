// Writes the benchmark corpus under bench/corpus/ (gitignored). Everything is derived from one seed, so
// the same seed gives byte-identical files and the corpus hash in the results says what was measured.
//
//   scale-<k>/          k replicas ("teams") of one repository's worth of templates: the CLI throughput set
//   editor/             one YAML template each of ~10 KB, ~100 KB and ~1 MB for the LSP latency runs
//   workspace-2000/     a 2,000-file repository (templates among source, CI and docs) for the workspace scan
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { cdkManifest, cdkTemplate } from "./cdk";
import { Rng } from "./rng";
import { jsonTemplate, yamlTemplate } from "./templates";

const KB = 1024;
/** CloudFormation's own limit on a template body (cfn-lint E1002), with room for the footer. */
const ONE_MB = 990_000;

/** One replica: a repository of templates from a few KB up to 1 MB (about 2.1 MB in all). */
const REPLICA_FILES: readonly { path: string; kind: "yaml" | "json" | "cdk"; bytes: number }[] = [
  { path: "network/bastion.yaml", kind: "yaml", bytes: 4 * KB },
  { path: "services/api/api.yml", kind: "yaml", bytes: 12 * KB },
  { path: "services/workers/workers.yaml", kind: "yaml", bytes: 40 * KB },
  { path: "platform/eks-nodes.yaml", kind: "yaml", bytes: 120 * KB },
  { path: "platform/shared-compute.yaml", kind: "yaml", bytes: 400 * KB },
  { path: "legacy/monolith.template.yaml", kind: "yaml", bytes: ONE_MB },
  { path: "services/batch/batch.json", kind: "json", bytes: 6 * KB },
  { path: "services/search/search.template.json", kind: "json", bytes: 30 * KB },
  { path: "legacy/fleet.json", kind: "json", bytes: 150 * KB },
  { path: "cdk.out/NetworkStack.template.json", kind: "cdk", bytes: 10 * KB },
  { path: "cdk.out/AppStack.template.json", kind: "cdk", bytes: 60 * KB },
  { path: "cdk.out/WorkersStack.template.json", kind: "cdk", bytes: 250 * KB },
];

export const SCALES = [1, 2, 4, 8] as const;
export const EDITOR_SIZES = { "10k": 10 * KB, "100k": 100 * KB, "1m": ONE_MB } as const;
export type EditorSize = keyof typeof EDITOR_SIZES;

export interface Corpus {
  root: string;
  /** Directory of each scale, and the files in it (absolute paths). */
  scales: Record<number, { dir: string; files: string[]; bytes: number }>;
  editor: Record<EditorSize, string>;
  workspace: { dir: string; files: number; templates: number };
  /** sha256 over every generated path and its content: equal hashes mean the same input. */
  sha256: string;
}

class CorpusWriter {
  private readonly hash = createHash("sha256");

  constructor(readonly root: string) {}

  write(path: string, content: string): string {
    const absolute = join(this.root, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, content);
    this.hash.update(relative(this.root, absolute)).update("\0").update(content).update("\0");
    return absolute;
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}

function replicaFiles(seed: number, replica: number): { path: string; content: string }[] {
  const rng = new Rng(seed * 7919 + replica);
  const files = REPLICA_FILES.map(({ path, kind, bytes }) => {
    const description = `${path} (team ${replica})`;
    if (kind === "yaml") return { path, content: yamlTemplate(rng, bytes, description) };
    if (kind === "json") return { path, content: jsonTemplate(rng, bytes, description) };
    const stack = path.slice("cdk.out/".length, -".template.json".length);
    return { path, content: cdkTemplate(rng, stack, bytes) };
  });
  const stacks = REPLICA_FILES.filter((f) => f.kind === "cdk").map((f) =>
    f.path.slice("cdk.out/".length, -".template.json".length),
  );
  files.push({ path: "cdk.out/manifest.json", content: cdkManifest(stacks) });
  return files;
}

// Everything in a repository that is not a template: the workspace scan must pass over it cheaply.
function nonTemplateFile(rng: Rng, index: number): { path: string; content: string } {
  const kind = rng.weighted([
    ["ts", 30],
    ["py", 20],
    ["md", 10],
    ["workflow", 6],
    ["k8s", 10],
    ["sh", 8],
    ["json", 10],
    ["dockerfile", 6],
  ] as const);
  const service = `svc-${index % 97}`;
  const lines = rng.int(20, 200);
  switch (kind) {
    case "ts":
      return {
        path: `${service}/src/module${index}.ts`,
        content: Array.from(
          { length: lines },
          (_, i) => `export const value${i} = ${rng.int(0, 1e6)}; // ${service}`,
        ).join("\n"),
      };
    case "py":
      return {
        path: `${service}/app/handler_${index}.py`,
        content: `import boto3\n\n\ndef handler(event, context):\n${Array.from({ length: lines }, (_, i) => `    x${i} = event.get("k${i}")`).join("\n")}\n    return {"ok": True}\n`,
      };
    case "md":
      return {
        path: `${service}/docs/notes-${index}.md`,
        content: `# ${service}\n\n${"Operational notes. ".repeat(lines)}\n`,
      };
    case "workflow":
      return {
        path: `.github/workflows/ci-${index}.yml`,
        content: `name: ci-${index}\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci && npm test\n`,
      };
    case "k8s":
      return {
        path: `${service}/deploy/deployment-${index}.yaml`,
        content: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${service}-${index}\nspec:\n  replicas: ${rng.int(1, 5)}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: public.ecr.aws/${service}/app:${rng.int(1, 99)}\n          ports:\n            - containerPort: 8080\n`,
      };
    case "sh":
      return {
        path: `${service}/scripts/bootstrap-${index}.sh`,
        content: rng.chance(0.3)
          ? `#!/bin/bash\nREGION=$(curl -s http://169.254.169.254/latest/meta-data/placement/region)\necho "$REGION"\n`
          : `#!/bin/bash\nset -euo pipefail\necho "deploying ${service}"\n`,
      };
    case "json":
      return {
        path: `${service}/package-${index}.json`,
        content: JSON.stringify(
          { name: `${service}-${index}`, version: "1.0.0", dependencies: { "aws-sdk": "2.1500.0" } },
          null,
          2,
        ),
      };
    case "dockerfile":
      return {
        path: `${service}/Dockerfile.${index}`,
        content: `FROM public.ecr.aws/docker/library/node:20\nCOPY . /app\nCMD ["node", "/app/index.js"]\n`,
      };
  }
}

const WORKSPACE_FILES = 2000;
const WORKSPACE_TEMPLATE_SHARE = 0.15;

export function generateCorpus(root: string, seed: number): Corpus {
  rmSync(root, { recursive: true, force: true });
  const writer = new CorpusWriter(root);

  const scales: Corpus["scales"] = {};
  const maxScale = Math.max(...SCALES);
  const replicas = Array.from({ length: maxScale }, (_, replica) => replicaFiles(seed, replica));
  for (const scale of SCALES) {
    const dir = join(root, `scale-${scale}`);
    const files: string[] = [];
    let bytes = 0;
    for (let replica = 0; replica < scale; replica++)
      for (const file of replicas[replica] ?? []) {
        files.push(writer.write(join(`scale-${scale}`, `team-${replica}`, file.path), file.content));
        bytes += Buffer.byteLength(file.content);
      }
    scales[scale] = { dir, files, bytes };
  }

  const editorRng = new Rng(seed * 31 + 1);
  const editor = {} as Record<EditorSize, string>;
  for (const [size, bytes] of Object.entries(EDITOR_SIZES) as [EditorSize, number][])
    editor[size] = writer.write(
      `editor/template-${size}.yaml`,
      yamlTemplate(editorRng, bytes, `editor latency ${size}`),
    );

  const workspaceRng = new Rng(seed * 131 + 2);
  let templates = 0;
  for (let index = 0; index < WORKSPACE_FILES; index++) {
    if (workspaceRng.chance(WORKSPACE_TEMPLATE_SHARE)) {
      templates++;
      const bytes = workspaceRng.int(3, 60) * KB;
      const service = `svc-${index % 97}`;
      const file = workspaceRng.chance(0.7)
        ? {
            path: `${service}/infra/stack-${index}.yaml`,
            content: yamlTemplate(workspaceRng, bytes, `${service} stack`),
          }
        : {
            path: `${service}/cdk.out/Stack${index}.template.json`,
            content: cdkTemplate(workspaceRng, `Stack${index}`, bytes),
          };
      writer.write(join("workspace-2000", file.path), file.content);
    } else {
      const file = nonTemplateFile(workspaceRng, index);
      writer.write(join("workspace-2000", file.path), file.content);
    }
  }

  // Each set is its own repository, as a team's checkout is. This also matters: the CLI honours
  // .gitignore from the repository root, and this repository's .gitignore lists bench/corpus/.
  for (const dir of [...Object.values(scales).map((s) => s.dir), join(root, "workspace-2000")])
    execFileSync("git", ["init", "--quiet", dir]);

  return {
    root,
    scales,
    editor,
    workspace: { dir: join(root, "workspace-2000"), files: WORKSPACE_FILES, templates },
    sha256: writer.digest(),
  };
}

// `node --import tsx bench/lib/corpus.ts [seed]` writes the corpus alone, to look at it.
if (require.main === module) {
  const corpus = generateCorpus(join(__dirname, "..", "corpus"), Number(process.argv[2] ?? 1));
  for (const [scale, { files, bytes }] of Object.entries(corpus.scales))
    console.log(`scale ${scale}: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MB`);
  console.log(
    `workspace: ${corpus.workspace.files} files (${corpus.workspace.templates} templates); sha256 ${corpus.sha256}`,
  );
}
