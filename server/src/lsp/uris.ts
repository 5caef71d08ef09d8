// URI ↔ path for the engine, which works on file paths. Editors send `file:` URIs for saved files;
// an untitled buffer keeps its URI as its "path" (the engine detects the format from the content).
import { fileURLToPath, pathToFileURL } from "node:url";

export function uriToPath(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export function pathToUri(path: string): string {
  return path.includes("://") ? path : pathToFileURL(path).href;
}
