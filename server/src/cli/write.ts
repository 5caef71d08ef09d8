// Atomic writes for `--fix` and `--output`: a reader (an editor, a CI step) sees the old file or the
// new one, never half of it, and an interrupted run leaves the original intact.
import { randomBytes } from "node:crypto";
import { chmodSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";

export function writeFileAtomic(path: string, content: string): void {
  // Write through a symlink to its target: renaming over the link would replace it with a plain file.
  let target = path;
  let mode: number | undefined;
  try {
    target = realpathSync(path);
    mode = statSync(target).mode & 0o7777;
  } catch {
    // A new file: default permissions (umask applies).
  }
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    writeFileSync(temp, content, { flag: "wx" });
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, target);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // Nothing was created, or it is already gone.
    }
    throw error;
  }
}
