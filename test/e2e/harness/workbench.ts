// Drives the VS Code workbench that code-server serves, in Debian's headless Chromium, the way a
// person does: keyboard shortcuts, the Command Palette, clicks on what is on screen. Every
// assertion reads the DOM; every step leaves a screenshot under test-results/e2e/<scenario>/.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import type { CodeServer } from "./codeServer";
import { resultsDir } from "./paths";

const CHROMIUM = process.env.IMDS_GUARD_E2E_CHROMIUM ?? "/usr/bin/chromium";
// Flags measured to work on these machines (DESIGN.md "How we test" item 4): no sandbox as root,
// no GPU, and no network but the loopback code-server.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export type Severity = "error" | "warning" | "info";

/** One row of the Problems panel, as a person reads it. */
export interface Problem {
  /** Path relative to the workspace folder. */
  file: string;
  severity: Severity;
  message: string;
  source: string;
  /** The diagnostic code shown after the source, e.g. IMDS001. */
  code: string;
  /** 1-based, as the panel shows it. */
  line: number;
  column: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class Workbench {
  private stepNumber = 0;

  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    /** The workspace folder on disk. */
    readonly folder: string,
    private readonly screenshots: string,
    private readonly browserHome: string,
  ) {}

  /** Opens a fresh browser on `folder` in the given code-server; screenshots go to test-results/e2e/<scenario>/. */
  static async open(server: CodeServer, folder: string, scenario: string): Promise<Workbench> {
    const screenshots = path.join(resultsDir, scenario);
    await mkdir(screenshots, { recursive: true });
    const browserHome = await mkdtemp(path.join(tmpdir(), "imds-guard-e2e-chromium-"));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
      // Chromium writes its caches under $HOME unless XDG_* say otherwise.
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(browserHome, "config"),
        XDG_CACHE_HOME: path.join(browserHome, "cache"),
      },
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
    const workbench = new Workbench(browser, page, folder, screenshots, browserHome);
    await workbench.step("workbench open", async () => {
      await page.goto(server.workspaceUrl(folder));
      await page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
      await page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor({ timeout: 60_000 });
    });
    return workbench;
  }

  /** Runs one user-visible step and keeps a screenshot of the screen after it (or when it failed). */
  async step<T>(name: string, action: () => Promise<T>): Promise<T> {
    this.stepNumber += 1;
    const file = `${String(this.stepNumber).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`;
    try {
      const result = await action();
      await this.page.screenshot({ path: path.join(this.screenshots, `${file}.png`) });
      return result;
    } catch (error) {
      await this.page
        .screenshot({ path: path.join(this.screenshots, `${file}-FAILED.png`) })
        .catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
    await rm(this.browserHome, { recursive: true, force: true });
  }

  private get quickInput(): Locator {
    return this.page.locator(".quick-input-widget");
  }

  /** Runs a command from the Command Palette by its label, as a person would type it. */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press("F1");
    const input = this.quickInput.locator("input");
    await input.waitFor();
    await input.fill(`>${label}`);
    const row = this.quickInput
      .locator(".monaco-list-row")
      .filter({ hasText: new RegExp(`^${escapeRegExp(label)}`) })
      .first();
    await row.click();
    await this.quickInput.waitFor({ state: "hidden" });
  }

  /** Opens a workspace file through Quick Open (Ctrl+P) and waits for its editor tab. */
  async openFile(relativePath: string): Promise<void> {
    const name = path.basename(relativePath);
    await this.page.keyboard.press("Control+P");
    const input = this.quickInput.locator("input");
    await input.waitFor();
    await input.fill(relativePath);
    await this.quickInput.locator(".monaco-list-row").filter({ hasText: name }).first().waitFor();
    await this.page.keyboard.press("Enter");
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${name}"]`).waitFor();
    await this.editor.locator(".view-lines").waitFor();
    // Keyboard focus in the editor, so shortcuts reach it. Quick Open already leaves it there; the
    // click makes sure, and is retried while the editor is still laying itself out (a layer of the
    // page takes the pointer meanwhile). What the steps after it check does not depend on the click.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await this.editor.locator(".view-lines").click({ position: { x: 5, y: 5 }, timeout: 5_000 });
        return;
      } catch {
        await this.page.waitForTimeout(500);
      }
    }
  }

  /** The active text editor. */
  private get editor(): Locator {
    return this.page.locator(".editor-group-container.active .monaco-editor").first();
  }

  /** Moves the cursor with Go to Line/Column (Ctrl+G); 1-based like the status bar. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press("Control+G");
    const input = this.quickInput.locator("input");
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press("Enter");
    await this.page
      .locator(".statusbar-item", { hasText: `Ln ${line}, Col ${column}` })
      .first()
      .waitFor();
  }

  /** The text of the editor's rendered lines, top to bottom (enough for the short fixtures). */
  async editorText(): Promise<string> {
    // One pass inside the page (lines re-render as the text changes); Monaco renders indentation
    // as non-breaking spaces.
    const lines = await this.editor
      .locator(".view-line")
      .evaluateAll((elements) =>
        elements.map((line) => ({ top: line.getBoundingClientRect().top, text: line.textContent ?? "" })),
      );
    return lines
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\u00a0/g, " "))
      .join("\n");
  }

  /** Saves the active editor (Ctrl+S) and waits until the tab no longer shows unsaved changes. */
  async save(): Promise<void> {
    await this.page.keyboard.press("Control+S");
    await this.page.locator(".tabs-container .tab.active.dirty").waitFor({ state: "detached" });
  }

  /** Shows the Problems panel (Ctrl+Shift+M toggles it, so only when it is not already there). */
  async showProblems(): Promise<void> {
    const panel = this.page.locator(".markers-panel");
    if (!(await panel.isVisible())) await this.page.keyboard.press("Control+Shift+M");
    await panel.waitFor();
  }

  /**
   * Every row of the Problems panel, grouped under the file rows it shows. Read in one pass inside
   * the page: the panel re-renders its rows whenever diagnostics change, so reading them one by
   * one could meet a row that has just gone.
   */
  async problems(): Promise<Problem[]> {
    await this.showProblems();
    const rows = await this.page.locator(".markers-panel .monaco-list-row").evaluateAll((elements) =>
      // No named helpers in here: tsx would wrap them in a `__name` call the page does not have.
      elements.map((row) => ({
        // A file row: its icon label carries the absolute path.
        file: row.querySelector(".marker-message")
          ? null
          : row.querySelector(".monaco-icon-label")?.getAttribute("aria-label"),
        icon: row.querySelector(".marker-icon")?.getAttribute("class") ?? "",
        message: (row.querySelector(".marker-message")?.textContent ?? "").trim(),
        source: (row.querySelector(".marker-source")?.textContent ?? "").trim(),
        code: (row.querySelector(".marker-code")?.textContent ?? "").trim(),
        position: row.querySelector(".marker-line")?.textContent ?? "",
      })),
    );
    const problems: Problem[] = [];
    let file = "";
    for (const row of rows) {
      if (row.file !== null) {
        file = row.file ? path.relative(this.folder, row.file) : "";
        continue;
      }
      const position = /Ln (\d+), Col (\d+)/.exec(row.position);
      problems.push({
        file,
        severity: row.icon.includes("error") ? "error" : row.icon.includes("warning") ? "warning" : "info",
        message: row.message,
        source: row.source,
        code: row.code,
        line: position ? Number(position[1]) : 0,
        column: position ? Number(position[2]) : 0,
      });
    }
    return problems;
  }

  /**
   * Waits until the Problems panel satisfies `expectation` (diagnostics arrive asynchronously, after
   * activation and analysis), and returns its rows; on timeout the error shows what was listed.
   */
  async waitForProblems(
    description: string,
    expectation: (problems: Problem[]) => boolean,
    timeoutMs = 60_000,
  ): Promise<Problem[]> {
    const deadline = Date.now() + timeoutMs;
    let last: Problem[] = [];
    while (Date.now() < deadline) {
      last = await this.problems();
      if (expectation(last)) return last;
      await this.page.waitForTimeout(500);
    }
    throw new Error(
      `the Problems panel never showed ${description}; it listed:\n${
        last
          .map((p) => `  ${p.file}:${p.line}:${p.column} ${p.severity} ${p.code} ${p.message}`)
          .join("\n") || "  (nothing)"
      }`,
    );
  }

  /**
   * Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text once it shows `content`: the
   * diagnostic part is there at once, the language server's part arrives a moment later.
   */
  async hoverText(content: RegExp, timeoutMs = 15_000): Promise<string> {
    await this.page.keyboard.press("Control+K");
    await this.page.keyboard.press("Control+I");
    const hover = this.page.locator(".monaco-hover:visible").first();
    await hover.waitFor();
    const deadline = Date.now() + timeoutMs;
    let text = "";
    while (Date.now() < deadline) {
      // innerText keeps the hover's table cells apart ("HttpTokens optional set here"); textContent
      // would run them together.
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator.innerText, not the DOM's.
      text = await hover.innerText();
      if (content.test(text)) return text;
      await this.page.waitForTimeout(250);
    }
    throw new Error(`the hover never showed ${content}; it showed:\n${text}`);
  }

  private get codeActionMenu(): Locator {
    return this.page.locator(".action-widget:visible");
  }

  /**
   * Clicks the lightbulb at the cursor's line and returns the titles of the code actions its menu
   * offers; the menu stays open (for the step's screenshot and for `chooseCodeAction`).
   */
  async openLightbulbMenu(): Promise<string[]> {
    const lightbulb = this.editor.locator(".lightBulbWidget");
    // VS Code asks for code actions when the cursor settles; on a loaded machine that request can be
    // dropped, so the cursor is nudged off and back (same position) to ask again, a few times.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press("Escape");
      try {
        await lightbulb.waitFor({ state: "visible", timeout: 10_000 });
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await this.page.keyboard.press("ArrowRight");
        await this.page.keyboard.press("ArrowLeft");
      }
    }
    await lightbulb.click();
    const actions = this.codeActionMenu.locator(".monaco-list-row.action");
    await actions.first().waitFor();
    return (await actions.allTextContents()).map((title) => title.trim());
  }

  /**
   * Applies the code action with this title from the open lightbulb menu. The menu is driven with
   * the arrow keys: while it is open VS Code lays a pointer-blocking layer over the page.
   */
  async chooseCodeAction(title: string): Promise<void> {
    const menu = this.codeActionMenu;
    const rows = menu.locator(".monaco-list-row.action");
    const count = await rows.count();
    for (let moves = 0; moves <= count; moves += 1) {
      if ((await menu.locator(".monaco-list-row.action.focused").getAttribute("aria-label")) === title) {
        await this.page.keyboard.press("Enter");
        await menu.waitFor({ state: "hidden" });
        return;
      }
      await this.page.keyboard.press("ArrowDown");
    }
    throw new Error(
      `the lightbulb menu has no "${title}"; it offers: ${(await rows.allTextContents()).join(", ")}`,
    );
  }

  /** Opens an activity-bar container by its title (what the icon's tooltip says). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page
      .locator(`.activitybar .action-item a.action-label[aria-label^="${title}"]`)
      .first();
    await item.waitFor();
    if ((await item.getAttribute("aria-expanded")) !== "true") await item.click();
    await this.page.locator(".sidebar .composite.title", { hasText: title.toUpperCase() }).first().waitFor();
  }

  /** Drags the side bar's edge so tree labels and descriptions are readable on the screenshots. */
  async widenSideBar(width: number): Promise<void> {
    const box = await this.page.locator(".part.sidebar").boundingBox();
    if (!box || box.width >= width) return;
    const edge = box.x + box.width;
    const middle = box.y + box.height / 2;
    await this.page.mouse.move(edge - 1, middle);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, middle, { steps: 5 });
    await this.page.mouse.up();
  }

  /** A view pane of the side bar, by the name in its header. */
  view(name: string): Locator {
    return this.page
      .locator(".sidebar .pane")
      .filter({
        has: this.page.locator(".pane-header", { hasText: new RegExp(`^${escapeRegExp(name)}`, "i") }),
      })
      .first();
  }

  /** The tree row of a view whose label starts with `label`. */
  treeRow(viewName: string, label: string | RegExp): Locator {
    const pattern = typeof label === "string" ? new RegExp(`^\\s*${escapeRegExp(label)}`) : label;
    return this.view(viewName)
      .locator(".monaco-list-row")
      .filter({ has: this.page.locator(".monaco-icon-label .label-name", { hasText: pattern }) });
  }

  /** Label and description of every tree row the view shows now. */
  async treeRows(viewName: string): Promise<{ label: string; description: string }[]> {
    return await this.view(viewName)
      .locator(".monaco-list-row")
      .evaluateAll((rows) =>
        rows.map((row) => ({
          label: (row.querySelector(".label-name")?.textContent ?? "").trim(),
          description: (row.querySelector(".label-description")?.textContent ?? "").trim(),
        })),
      );
  }

  /** Expands a collapsed tree row (a click on it toggles it). */
  async expand(row: Locator): Promise<void> {
    if ((await row.getAttribute("aria-expanded")) === "false") await row.click();
    await row.and(this.page.locator('[aria-expanded="true"]')).waitFor();
  }

  /** Right-clicks a row and picks a context-menu entry by its label. */
  async contextMenu(row: Locator, entry: string): Promise<void> {
    // A tooltip left open by an earlier click (tree items show theirs on hover) would take the click.
    await this.page.mouse.move(1, 1);
    await this.page
      .locator(".workbench-hover-container:visible, .monaco-hover:visible")
      .waitFor({ state: "detached" });
    await row.click({ button: "right" });
    const menu = this.page.locator(".context-view .monaco-menu");
    await menu.waitFor();
    const item = menu.locator(".action-item:not(.disabled) .action-label", { hasText: entry }).first();
    await item.waitFor();
    await item.hover();
    await item.click();
    await menu.waitFor({ state: "hidden" });
  }

  /** The modal dialog VS Code shows for `showWarningMessage(..., { modal: true })`. */
  get dialog(): Locator {
    return this.page.locator(".monaco-dialog-box");
  }

  /** Clicks a button of the modal dialog by its label. */
  async answerDialog(button: string): Promise<void> {
    await this.dialog.locator(".dialog-buttons .monaco-button", { hasText: button }).first().click();
    await this.dialog.waitFor({ state: "hidden" });
  }
}
