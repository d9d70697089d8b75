import Foundation
import Testing
@testable import RxPacks

/// The folder holding the built products (the test runner sits beside them).
func builtProductsDirectory() -> URL {
    let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    var directory = runner.deletingLastPathComponent()
    // On Linux the runner is `<bin>/<Package>PackageTests.xctest`; on macOS it is inside a bundle.
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("libRxFixtureNotAPack.so").path),
          directory.pathComponents.count > 1 {
        directory = directory.deletingLastPathComponent()
    }
    return directory
}

func fixture(_ name: String) -> String {
    builtProductsDirectory().appendingPathComponent("lib\(name).so").path
}

@Suite struct ModuleLoaderTests {
    @Test func refusesAFileThatDoesNotExist() {
        #expect(throws: ModuleLoadError.self) { try ModuleLoader.load(path: "no-such-pack.so") }
    }

    @Test func refusesAFileThatIsNotALibrary() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rxrules-not-elf-\(getpid()).so")
        try Data("pack \"x\" version \"1.0.0\"\n".utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        do {
            _ = try ModuleLoader.load(path: path.path)
            Issue.record("loaded a text file")
        } catch {
            guard case .cannotOpen = error.reason else { Issue.record("wrong reason \(error)"); return }
        }
    }

    @Test func refusesALibraryWithoutTheEntryPoint() {
        #expect(throws: ModuleLoadError(path: fixture("RxFixtureNotAPack"), reason: .notAPack)) {
            try ModuleLoader.load(path: fixture("RxFixtureNotAPack"))
        }
    }

    @Test func refusesAWrongABIVersion() {
        let path = fixture("RxFixtureWrongABIPack")
        #expect(throws: ModuleLoadError(path: path, reason: .abiMismatch(host: ModuleLoader.abiVersion, pack: 99))) {
            try ModuleLoader.load(path: path)
        }
        let declining = fixture("RxFixtureDecliningPack")
        #expect(throws: ModuleLoadError(path: declining, reason: .abiMismatch(host: ModuleLoader.abiVersion, pack: nil))) {
            try ModuleLoader.load(path: declining)
        }
    }

    @Test func refusesATruncatedDescriptor() {
        do {
            _ = try ModuleLoader.load(path: fixture("RxFixtureShortDescriptorPack"))
            Issue.record("accepted a short descriptor")
        } catch {
            guard case .malformed(let detail) = error.reason else { Issue.record("wrong reason \(error)"); return }
            #expect(detail.contains("8 bytes"))
        }
    }

    @Test func messagesNameThePathAndTheFix() {
        let error = ModuleLoadError(path: "libX.so", reason: .abiMismatch(host: 1, pack: 2))
        #expect(error.description == "libX.so: pack module was built for ABI version 2; this host speaks ABI version 1")
    }
}
