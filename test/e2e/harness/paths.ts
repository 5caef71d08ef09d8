// Where the suite finds the repository, its manifest and its fixtures, and where it keeps artefacts.
import { readFileSync } from "node:fs";
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export const repoRoot = path.resolve(__dirname, "../../..");
export const fixturesDir = path.join(repoRoot, "test/e2e/fixtures");
/** Screenshots and logs, one folder per scenario (kept as CI artefacts; gitignored). */
export const resultsDir = path.join(repoRoot, "test-results/e2e");

interface Manifest {
  name: string;
  publisher: string;
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    views?: Record<string, { id: string; name: string }[]>;
    viewsContainers?: Record<string, { id: string; title: string }[]>;
  };
}

/** The manifest as packaged: labels come from it, so a renamed command or view keeps the suite honest. */
export const manifest: Manifest = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8"));
export const extensionId = `${manifest.publisher}.${manifest.name}`;

/** The Command Palette label of a contributed command (`Category: Title`), or a clear failure. */
export function commandLabel(command: string): string {
  const contribution = manifest.contributes?.commands?.find((candidate) => candidate.command === command);
  if (!contribution) throw new Error(`package.json contributes no command ${command}`);
  return contribution.category ? `${contribution.category}: ${contribution.title}` : contribution.title;
}

/** The view's name and the title of the activity-bar container that holds it. */
export function viewLabels(viewId: string): { view: string; container: string } {
  for (const [containerId, views] of Object.entries(manifest.contributes?.views ?? {})) {
    const view = views.find((candidate) => candidate.id === viewId);
    if (!view) continue;
    const container = Object.values(manifest.contributes?.viewsContainers ?? {})
      .flat()
      .find((candidate) => candidate.id === containerId);
    return { view: view.name, container: container?.title ?? containerId };
  }
  throw new Error(`package.json contributes no view ${viewId}`);
}

/**
 * A private copy of a fixture workspace (or an empty one): VS Code saves edits that fixes make, and
 * a scenario must never change the fixtures in the repository or see another scenario's edits.
 */
export async function copyWorkspace(fixture: string | undefined): Promise<string> {
  const target = await mkdtemp(path.join(tmpdir(), `imds-guard-e2e-ws-${fixture ?? "empty"}-`));
  if (fixture) await cp(path.join(fixturesDir, fixture), target, { recursive: true });
  return target;
}
