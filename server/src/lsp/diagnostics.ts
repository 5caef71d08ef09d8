// Engine findings and file problems → LSP diagnostics. The rule id is the diagnostic `code` and its
// docs page the `codeDescription`, so every editor can link the rule (DESIGN.md, "Outputs").
import {
  type Diagnostic,
  type DiagnosticRelatedInformation,
  DiagnosticSeverity,
} from "vscode-languageserver";
import { ruleMeta } from "../engine/rules/catalogue";
import type { FileProblem, Finding, Severity } from "../engine/types";
import { DIAGNOSTIC_SOURCE } from "../shared/protocol";
import type { ConfigMessage } from "./projects";

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `uriOf` turns an engine file path into the URI the editor knows (the document's own URI for its own path). */
export function findingToDiagnostic(finding: Finding, uriOf: (file: string) => string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleMeta(finding.ruleId).docsUrl },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map(
      (related): DiagnosticRelatedInformation => ({
        location: { uri: uriOf(related.file), range: related.range },
        message: related.message,
      }),
    );
  }
  return diagnostic;
}

/** A file the engine could not read (malformed, binary, too large) is one diagnostic at the place it stopped. */
export function problemToDiagnostic(problem: FileProblem): Diagnostic {
  return {
    range: problem.range,
    severity: problem.kind === "parse-error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Information,
    code: problem.kind,
    source: DIAGNOSTIC_SOURCE,
    message: problem.message,
  };
}

/** A warning or error about `.imds-guard.yaml`, shown on that file. */
export function configMessageToDiagnostic(message: ConfigMessage): Diagnostic {
  return {
    range: message.range,
    severity: message.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: "config",
    source: DIAGNOSTIC_SOURCE,
    message: message.message,
  };
}

/** Identity of a diagnostic as the client sends it back in `codeAction` context (no `data` round-trip needed). */
export function diagnosticKey(diagnostic: Pick<Diagnostic, "range" | "code" | "message">): string {
  const { start, end } = diagnostic.range;
  return `${String(diagnostic.code)}@${start.line}:${start.character}-${end.line}:${end.character}:${diagnostic.message}`;
}
