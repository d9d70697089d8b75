import Foundation
import Testing
@testable import RxLanguage

/// Changing any single token of a bundled pack into garbage must give an error on that token's line:
/// recovery never hides a broken token, and never blames another line.
@Suite struct PackTokenMutationTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let packs = ["pqa-adherence", "statin-cv-refund", "pbm-edits"]

    @Test(arguments: packs)
    func everyTokenTurnedIntoGarbageIsReportedOnItsLine(_ pack: String) throws {
        let folder = try PackFolder.load(path: Self.repositoryRoot.appendingPathComponent("rules/\(pack)").path)
        #expect(!PackChecker.check(folder: folder, overrides: []).hasErrors)
        var mutations = 0
        for (fileIndex, file) in folder.files.enumerated() where file.relativePath.hasSuffix(".rules") {
            let source = SourceFile(path: file.relativePath, bytes: file.bytes)
            let tokens = Lexer.lex(source).tokens.filter { $0.kind != .endOfFile }
            // Every third token, plus the first and last of the file: thousands of checks stay fast.
            for (index, token) in tokens.enumerated() where index % 3 == 0 || index == tokens.count - 1 {
                var bytes = file.bytes
                bytes.replaceSubrange(token.start..<token.end, with: Array("@@".utf8))
                var files = folder.files
                files[fileIndex] = PackFolder.File(relativePath: file.relativePath, bytes: bytes)
                let mutated = PackFolder(path: folder.path, name: folder.name, files: files)
                let result = PackChecker.check(folder: mutated, overrides: [])
                let errorLines = result.diagnostics.filter { $0.severity == .error }.compactMap { diagnostic -> Int? in
                    guard let sourceFile = result.sources.first(where: { $0.id == diagnostic.range.file }),
                          sourceFile.path.hasSuffix(file.relativePath)
                    else { return nil }
                    return sourceFile.location(of: diagnostic.range.start).line
                }
                #expect(errorLines.contains(token.line + 1),
                        "\(pack)/\(file.relativePath): token at line \(token.line + 1) replaced; errors at \(errorLines)")
                mutations += 1
            }
        }
        #expect(mutations > 50)
    }
}
