import Foundation
import PackagePlugin

/// Checks a rule pack with the real checker at build time and embeds it in the pack's module.
///
/// Applied to every `rules/<pack>/` target. A rule error fails `swift build` with the same
/// `path:line:col: error: message` lines that `rxrules check` prints.
@main
struct RxPackBuilder: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        // Every non-Swift file of the pack is pack content: rules, value sets, code lists.
        let inputs = target.sourceFiles
            .map(\.url)
            .filter { $0.pathExtension != "swift" }
            .sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPack.swift")
        let packDirectory = target.directoryURL.path(percentEncoded: false)
        return [
            .buildCommand(
                displayName: "Checking and embedding rule pack \(target.name)",
                executable: try context.tool(named: "RxPackCompiler").url,
                arguments: ["--pack", packDirectory, "--output", output.path(percentEncoded: false)],
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
