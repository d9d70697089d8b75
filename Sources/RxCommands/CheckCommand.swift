import ArgumentParser
import RxLanguage

/// `rxrules check`: parse and type-check rule packs without reading any data.
public struct CheckCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check rule packs for mistakes before any data is read.",
        discussion: """
            Reads every .rules file of each pack, its value-set files and its tests, and reports \
            every problem it finds with the file, line and column, the line itself and a marker \
            under the exact spot. Nothing is evaluated and no claims are read.

            A PATH is a pack folder (it holds pack.rules) or a folder of packs, like rules/.

            Examples:
              rxrules check rules/
              rxrules check rules/pqa-adherence --param threshold=0.75
              rxrules check rules/ --format json

            Exit status: 0 no errors (warnings allowed); 1 a pack has errors; 2 the command line is wrong.
            """
    )

    @ArgumentParser.Argument(help: "Pack folders, or folders of packs. Default: rules")
    public var paths: [String] = []

    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Check as if a parameter had this value, e.g. --param threshold=0.75 (repeatable).",
        valueName: "name=value"))
    public var parameters: [String] = []

    @Option(help: "text: annotated source for people; json: one array for editors and CI.")
    public var format: DiagnosticFormatChoice = .text

    @Option(help: "Colour the text output: auto (when printing to a terminal), always or never.")
    public var color: ColorChoice = .auto

    public init() {}

    public mutating func validate() throws {
        for parameter in parameters where ParameterOverride(argument: parameter) == nil {
            throw ValidationError("--param needs name=value, found '\(parameter)'")
        }
    }

    public func run() throws {
        let overrides = parameters.compactMap(ParameterOverride.init(argument:))
        let report = try CheckRun.run(paths: paths.isEmpty ? ["rules"] : paths, overrides: overrides)
        let renderer = DiagnosticRenderer(format: format == .json ? .json : .annotated,
                                          colored: format == .text && color.enabled)
        let output = renderer.render(report.diagnostics, files: report.sources)
        if !output.isEmpty { print(output, terminator: output.hasSuffix("\n") ? "" : "\n") }
        if format == .text { printError(report.summary) }
        if report.errorCount > 0 { throw ExitCode(ExitStatus.failure) }
    }
}

/// The outcome of checking several packs at once, with file IDs made unique across packs.
public struct CheckRun: Sendable {
    /// How many packs were checked.
    public var packCount: Int
    /// Every file diagnostics point into, with IDs unique across packs.
    public var sources: [SourceFile]
    /// The diagnostics of every pack, in pack order.
    public var diagnostics: [Diagnostic]
    /// Each pack's own result (with its own file IDs).
    public var results: [PackCheckResult]
    /// The pack folders, in the order of `results`.
    public var folders: [String] = []

    /// The number of errors.
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    /// The number of warnings.
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }

    /// `checked 3 packs: no errors, 2 warnings`.
    public var summary: String {
        func count(_ n: Int, _ word: String) -> String { n == 0 ? "no \(word)s" : n == 1 ? "1 \(word)" : "\(n) \(word)s" }
        return "checked \(packCount == 1 ? "1 pack" : "\(packCount) packs"): \(count(errorCount, "error")), \(count(warningCount, "warning"))"
    }

    /// Discovers and checks every pack under `paths`; an override must name a parameter of some pack.
    public static func run(paths: [String], overrides: [ParameterOverride]) throws -> CheckRun {
        let folders: [String]
        do {
            folders = try PackFolder.discover(paths)
        } catch {
            throw ValidationError(error.description)
        }
        var run = CheckRun(packCount: folders.count, sources: [], diagnostics: [], results: [])
        var offset: Int32 = 0
        for path in folders {
            let folder: PackFolder
            do {
                folder = try PackFolder.load(path: path)
            } catch {
                throw ValidationError(error.description)
            }
            let result = PackChecker.check(folder: folder, overrides: overrides, reportUnknownOverrides: folders.count == 1)
            run.results.append(result)
            run.folders.append(path)
            var ids: [SourceFileID: SourceFileID] = [:]
            for file in result.sources {
                let id = SourceFileID(file.id.rawValue + offset)
                ids[file.id] = id
                run.sources.append(SourceFile(id: id, path: file.path, bytes: file.bytes))
            }
            run.diagnostics += result.diagnostics.map { $0.movingFiles(ids) }
            offset += Int32(result.sources.count)
        }
        if folders.count > 1 {
            // Across several packs an override may belong to any one of them.
            let declared = Set(run.results.flatMap { $0.pack.parameters.keys })
            let unknown = overrides.filter { !declared.contains($0.name) }.map(\.name)
            if !unknown.isEmpty {
                throw ValidationError("--param \(unknown.joined(separator: ", ")): no pack declares such a parameter")
            }
        }
        return run
    }
}

extension Diagnostic {
    /// The same diagnostic with its file IDs renumbered.
    func movingFiles(_ ids: [SourceFileID: SourceFileID]) -> Diagnostic {
        func move(_ range: SourceRange) -> SourceRange {
            SourceRange(file: ids[range.file] ?? range.file, start: range.start, end: range.end)
        }
        var moved = self
        moved.range = move(range)
        moved.notes = notes.map { DiagnosticNote($0.message, at: $0.range.map(move)) }
        if let fix = fixIt { moved.fixIt = FixIt(fix.message, range: move(fix.range), replacement: fix.replacement) }
        return moved
    }
}
