/// The result of checking one pack: every file it read, every finding, and the typed pack.
public struct PackCheckResult: Sendable {
    /// Rule files first (IDs 0, 1, ...), then the value-set CSVs and `--param` list diagnostics point into.
    public var sources: [SourceFile]
    /// The syntax trees of the rule files, in `sources` order.
    public var syntax: [FileSyntax]
    /// Syntax and semantic diagnostics, sorted by file and position.
    public var diagnostics: [Diagnostic]
    /// Types, resolutions, parameters and value sets for the evaluator.
    public var pack: CheckedPack

    /// Whether any diagnostic is an error (then the pack must not be evaluated).
    public var hasErrors: Bool { diagnostics.containsErrors }
}

/// Entry point of the semantic layer: parses and checks every file of a pack in one pass.
public enum PackChecker {
    /// Checks a pack folder read from disk; value-set files resolve relative to it.
    /// `reportUnknownOverrides: false` when the same overrides go to several packs and the caller
    /// checks that each names a parameter of at least one of them.
    public static func check(
        folder: PackFolder, overrides: [ParameterOverride] = [], reportUnknownOverrides: Bool = true
    ) -> PackCheckResult {
        let files = folder.ruleFiles.enumerated().map { index, file in
            SourceFile(id: SourceFileID(Int32(index)), path: folder.displayPath(of: file.relativePath), bytes: file.bytes)
        }
        return check(sources: files, folder: folder, overrides: overrides, reportUnknownOverrides: reportUnknownOverrides)
    }

    /// Checks rule files that are not in a folder (value sets from files then cannot be loaded).
    public static func check(
        sources: [SourceFile], folder: PackFolder? = nil, overrides: [ParameterOverride] = [],
        reportUnknownOverrides: Bool = true
    ) -> PackCheckResult {
        var trees: [FileSyntax] = []
        var diagnostics: [Diagnostic] = []
        for file in sources {
            let parsed = RulesParser.parse(file)
            trees.append(parsed.syntax)
            diagnostics += parsed.diagnostics
        }
        var checker = Checker(sources: sources, trees: trees, folder: folder, overrides: overrides)
        checker.reportUnknownOverrides = reportUnknownOverrides
        checker.run()
        return PackCheckResult(
            sources: checker.sources, syntax: trees,
            diagnostics: (diagnostics + checker.diagnostics).sortedByLocation(), pack: checker.pack)
    }
}
