import ArgumentParser
import Foundation

/// When diagnostics are coloured.
public enum ColorChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case auto, always, never

    /// Whether to colour output going to standard output: `auto` means a terminal, no NO_COLOR, not TERM=dumb.
    public var enabled: Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            let environment = ProcessInfo.processInfo.environment
            if environment["NO_COLOR"] != nil || environment["TERM"] == "dumb" { return false }
            return isatty(STDOUT_FILENO) == 1
        }
    }
}

/// How diagnostics are printed.
public enum DiagnosticFormatChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

/// Writes to standard error (progress and summaries, never results).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}
