// The build plugin's tool: checks one pack folder with the real checker and, when it is clean,
// writes the Swift source that embeds the pack in its module.
//
// Usage: RxPackCompiler --pack <folder> --output <EmbeddedPack.swift>
// Diagnostics go to stderr as `path:line:col: error: message`, exactly as `rxrules check` prints
// them in compact form; any error exits 1 and so fails `swift build`.
import Foundation
import RxLanguage

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

var packPath: String?
var outputPath: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--pack": packPath = arguments.next()
    case "--output": outputPath = arguments.next()
    default: fail("unknown argument '\(argument)'")
    }
}
guard let packPath, let outputPath else { fail("usage: RxPackCompiler --pack <folder> --output <file>") }

let folder: PackFolder
do {
    folder = try PackFolder.load(path: packPath)
} catch {
    fail(error.description)
}
let result = PackChecker.check(folder: folder, overrides: [], reportUnknownOverrides: true)
let rendered = DiagnosticRenderer(format: .compact, colored: false).render(result.diagnostics, files: result.sources)
if !rendered.isEmpty {
    FileHandle.standardError.write(Data((rendered.hasSuffix("\n") ? rendered : rendered + "\n").utf8))
}
if result.hasErrors { exit(1) }

let source = EmbeddedPackSource.render(pack: result.pack, folder: folder)
// Rewrite only on change, so an untouched pack does not recompile its module.
if let existing = FileManager.default.contents(atPath: outputPath), existing == Data(source.utf8) { exit(0) }
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
} catch {
    fail("cannot write \(outputPath): \(error.localizedDescription)")
}
