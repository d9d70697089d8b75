import ArgumentParser
import Foundation
import RxLanguage

/// `rxrules fmt`: rewrite rule files in the one canonical layout.
public struct FormatCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Lay out rule files the one standard way, keeping every comment.",
        discussion: """
            Rewrites each .rules file in place in the canonical layout (indentation, spacing, \
            line breaks). Only layout changes: the meaning and every comment stay. A file with \
            syntax errors is left untouched and its errors are printed.

            A PATH is a .rules file or a folder (searched for .rules files). Default: rules

            Examples:
              rxrules fmt rules/
              rxrules fmt --check rules/     # in CI: list files that are not formatted

            Exit status: 0 done (or, with --check, nothing to change); 1 a file would change or has \
            syntax errors; 2 the command line is wrong.
            """
    )

    @ArgumentParser.Argument(help: "Rule files or folders. Default: rules")
    public var paths: [String] = []

    @Flag(help: "Change nothing; list the files that would change and exit 1 if there are any.")
    public var check = false

    @Option(help: "Colour error output: auto, always or never.")
    public var color: ColorChoice = .auto

    public init() {}

    public func run() throws {
        let files = try FormatRun.ruleFiles(in: paths.isEmpty ? ["rules"] : paths)
        var failed = false
        let formatter = RulesFormatter()
        let renderer = DiagnosticRenderer(format: .annotated, colored: color.enabled)
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                printError("\(path): cannot read the file")
                failed = true
                continue
            }
            let source = SourceFile(path: path, bytes: Array(data))
            let parsed = RulesParser.parse(source)
            if parsed.diagnostics.containsErrors {
                printError(renderer.render(parsed.diagnostics, in: source))
                failed = true
                continue
            }
            let formatted = formatter.format(parsed.syntax)
            guard Array(formatted.utf8) != source.bytes else { continue }
            if check {
                print(path)
                failed = true
            } else if FileManager.default.createFile(atPath: path, contents: Data(formatted.utf8)) {
                printError("formatted \(path)")
            } else {
                printError("\(path): cannot write the file")
                failed = true
            }
        }
        if failed { throw ExitCode(ExitStatus.failure) }
    }
}

/// Finding the files `fmt` works on.
public enum FormatRun {
    /// The `.rules` files named by `paths` (files as given, folders searched), sorted, no duplicates.
    public static func ruleFiles(in paths: [String]) throws -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("\(path): no such file or folder")
            }
            if !isDirectory.boolValue {
                found.append(path)
                continue
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            let children = (manager.enumerator(atPath: base)?.allObjects as? [String]) ?? []
            found += children.filter { $0.hasSuffix(".rules") && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
                .sorted().map { base + "/" + $0 }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }
}
