import Foundation
import RxLanguage
import Testing
@testable import RxPacks

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func packFolder(_ name: String) -> String { repositoryRoot.appendingPathComponent("rules/\(name)").path }

/// A scratch copy of a pack folder that a test may edit.
func copyOfPack(_ name: String) throws -> String {
    let target = FileManager.default.temporaryDirectory
        .appendingPathComponent("rxrules-pack-\(getpid())-\(UUID().uuidString)").appendingPathComponent(name)
    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: packFolder(name), toPath: target.path)
    return target.path
}

/// The reason a pack was refused, or nil when it was accepted.
func refusal(_ body: () throws -> Void) -> PackRefusal.Reason? {
    do {
        try body()
        return nil
    } catch let error as PackRefusal {
        return error.reason
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

@Suite struct PackSourceTests {
    @Test func folderAndModuleCarryTheSameContent() throws {
        let folder = try PackSource.load(packFolder("pbm-edits"))
        let module = try PackSource.load(fixture("PbmEdits"))
        #expect(folder.name == "pbm-edits")
        #expect(module.name == "pbm-edits")
        #expect(module.version == folder.version)
        #expect(module.engineRange == folder.engineRange)
        #expect(module.contentHash == folder.contentHash)
        #expect(module.folder.files == folder.folder.files)
        #expect(!module.folder.files.contains { $0.relativePath.hasSuffix(".swift") })
    }

    @Test func everyPackInRulesHasAModuleWithTheSameContent() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("rules").path)
            .filter { FileManager.default.fileExists(atPath: packFolder($0) + "/pack.rules") }
        #expect(folders.count >= 8)
        for name in folders {
            let folder = try PackSource.load(packFolder(name))
            let module = try PackSource.load(fixture(PackSource.moduleName(forFolder: name)))
            #expect(module.contentHash == folder.contentHash, "\(name)")
        }
    }

    @Test func theSamePackAsFolderAndModuleIsKeptOnce() throws {
        let packs = try PackSource.loadAll([packFolder("pbm-edits"), fixture("PbmEdits")])
        #expect(packs.count == 1)
        #expect(packs[0].origin == .module(fixture("PbmEdits")))
    }

    @Test func aFolderThatDiffersFromItsModuleIsRefused() throws {
        let copy = try copyOfPack("pbm-edits")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: copy).deletingLastPathComponent().path) }
        let rules = copy + "/pack.rules"
        let text = try String(contentsOfFile: rules, encoding: .utf8)
        try text.replacingOccurrences(of: "= 0.75", with: "= 0.80").write(toFile: rules, atomically: true, encoding: .utf8)
        let reason = refusal { _ = try PackSource.loadAll([copy, fixture("PbmEdits")]) }
        guard case .sourceDiffersFromModule(let name, _, _, _) = reason else {
            Issue.record("expected a refusal, got \(String(describing: reason))")
            return
        }
        #expect(name == "pbm-edits")
    }

    @Test func twoPacksWithOneNameAreRefused() throws {
        let copy = try copyOfPack("pbm-edits")
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: copy).deletingLastPathComponent().path) }
        let reason = refusal { _ = try PackSource.loadAll([packFolder("pbm-edits"), copy]) }
        #expect(reason == .duplicateName(name: "pbm-edits", other: packFolder("pbm-edits")))
    }

    @Test func aModuleWhoseContentWasEditedIsRefused() {
        let reason = refusal { _ = try PackSource.load(fixture("RxFixtureTamperedPack")) }
        guard case .hashMismatch(let embedded, let computed) = reason else {
            Issue.record("expected a hash mismatch, got \(String(describing: reason))")
            return
        }
        #expect(embedded != computed)
    }

    @Test func aPackForAnotherEngineVersionIsRefused() {
        let reason = refusal { _ = try PackSource.load(fixture("RxFixtureFutureEnginePack")) }
        #expect(reason == .engineOutOfRange(range: ">= 9.0.0", engine: EngineVersion.current.description))
    }

    @Test func anUnapprovedHashIsRefused() throws {
        let approved = try PackSource.load(packFolder("pbm-edits")).contentHash
        _ = try PackSource.loadAll([packFolder("pbm-edits")], requiredHashes: ["pbm-edits": approved])
        let reason = refusal {
            _ = try PackSource.loadAll([packFolder("pbm-edits")], requiredHashes: ["pbm-edits": String(repeating: "0", count: 64)])
        }
        #expect(reason == .hashNotApproved(name: "pbm-edits", required: String(repeating: "0", count: 64), actual: approved))
    }

    @Test func foldersWithoutAPackAndMissingPathsAreRefused() {
        #expect(refusal { _ = try PackSource.load(repositoryRoot.appendingPathComponent("Sources").path) }
                == .notAPack("the folder has no pack.rules"))
        #expect(refusal { _ = try PackSource.load("no/such/pack") } == .notFound)
        #expect(refusal { _ = try PackSource.load(fixture("RxFixtureNotAPack")) } == .module(.notAPack))
    }
}
