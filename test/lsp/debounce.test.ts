// The debounce follows the document's analysis cost: short for small templates, capped for big ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import { debounceDelay, MAX_DEBOUNCE_MS, MIN_DEBOUNCE_MS } from "../../server/src/lsp/debounce";

test("a never-analysed or cheap document waits the minimum; an expensive one at most the cap", () => {
  assert.equal(debounceDelay(undefined), MIN_DEBOUNCE_MS);
  assert.equal(debounceDelay(2), MIN_DEBOUNCE_MS);
  assert.equal(debounceDelay(200), 20);
  assert.equal(debounceDelay(5_000), MAX_DEBOUNCE_MS);
});
