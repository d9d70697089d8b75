// swift-tools-version: 6.2
import Foundation
import PackageDescription

// Warnings fail the build in our own targets (not in dependencies).
let strict: [SwiftSetting] = [.treatAllWarnings(as: .error)]

let package = Package(
    name: "RxRules",
    products: [
        // Fixture modules for the loader's refusal tests (not shipped).
        .library(name: "RxFixtureNotAPack", type: .dynamic, targets: ["RxFixtureNotAPack"]),
        .library(name: "RxFixtureWrongABIPack", type: .dynamic, targets: ["RxFixtureWrongABIPack"]),
        .library(name: "RxFixtureDecliningPack", type: .dynamic, targets: ["RxFixtureDecliningPack"]),
        .library(name: "RxFixtureShortDescriptorPack", type: .dynamic, targets: ["RxFixtureShortDescriptorPack"]),
        .library(name: "RxFixtureTamperedPack", type: .dynamic, targets: ["RxFixtureTamperedPack"]),
        .library(name: "RxFixtureFutureEnginePack", type: .dynamic, targets: ["RxFixtureFutureEnginePack"]),
        .executable(name: "rxrules", targets: ["rxrules"]),
        .library(name: "RxLanguage", targets: ["RxLanguage"]),
        .library(name: "RxRecords", targets: ["RxRecords"]),
        .library(name: "RxAdherence", targets: ["RxAdherence"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Leaf vocabulary shared by every layer: day numbers, periods, exact decimals.
        .target(name: "RxValues", swiftSettings: strict),
        // Rule files: lexer, parser, AST, formatter, type checker, diagnostics.
        .target(name: "RxLanguage", dependencies: ["RxValues"], swiftSettings: strict),
        // Input records, readers, column maps, rejects, grouping by member, synthetic data.
        .target(name: "RxRecords", dependencies: ["RxValues", "CRxScan"], swiftSettings: strict),
        // Byte classification for the CSV scanner, 16 bytes per instruction where the CPU has SSE2.
        .target(name: "CRxScan"),
        // Supply timelines and adherence methods (PDC, MPR, DOT, persistence, episodes, CMA1-9).
        .target(name: "RxAdherence", dependencies: ["RxValues"], swiftSettings: strict),
        // Lowering checked packs into executable plans; the interpreter; evidence; outputs.
        .target(
            name: "RxEngine", dependencies: ["RxValues", "RxLanguage", "RxRecords", "RxAdherence"],
            swiftSettings: strict),
        // Synthetic claims data with realistic behaviour: example data and every benchmark input.
        .target(name: "RxSynth", dependencies: ["RxValues"], swiftSettings: strict),
        // The versioned C boundary between the host and compiled pack modules.
        .target(name: "CRxPackABI"),
        // The little a pack module links: builds its C descriptor. Never the engine.
        .target(name: "RxPackSupport", dependencies: ["CRxPackABI"], swiftSettings: strict),
        // Host side of packs: loading from a folder or a compiled module, verification.
        .target(name: "RxPacks", dependencies: ["CRxPackABI", "RxLanguage", "RxValues"], swiftSettings: strict),
        // The build plugin's tool: checks a pack with the real checker and embeds it.
        .executableTarget(name: "RxPackCompiler", dependencies: ["RxLanguage", "RxPackSupport"], swiftSettings: strict),
        .plugin(name: "RxPackBuilder", capability: .buildTool(), dependencies: ["RxPackCompiler"]),
        // Subcommands of the host, in a library so tests can call them.
        .target(
            name: "RxCommands",
            dependencies: [
                "RxValues", "RxLanguage", "RxRecords", "RxAdherence", "RxEngine", "RxSynth", "RxPacks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "rxrules", dependencies: ["RxCommands"], swiftSettings: strict),
        .executableTarget(name: "rxrules-bench-read", dependencies: ["RxRecords", "RxValues"], path: "Sources/RxBenchRead", swiftSettings: strict),

        .target(name: "RxFixtureNotAPack", path: "Tests/PackFixtures/NotAPack", publicHeadersPath: "."),
        .target(name: "RxFixtureWrongABIPack", dependencies: ["CRxPackABI"], path: "Tests/PackFixtures/WrongABIPack", publicHeadersPath: "."),
        .target(name: "RxFixtureDecliningPack", dependencies: ["CRxPackABI"], path: "Tests/PackFixtures/DecliningPack", publicHeadersPath: "."),
        .target(
            name: "RxFixtureShortDescriptorPack", dependencies: ["CRxPackABI"],
            path: "Tests/PackFixtures/ShortDescriptorPack", publicHeadersPath: "."),
        .target(
            name: "RxFixtureTamperedPack", dependencies: ["CRxPackABI"],
            path: "Tests/PackFixtures/TamperedPack", publicHeadersPath: "."),
        .target(
            name: "RxFixtureFutureEnginePack", dependencies: ["CRxPackABI"],
            path: "Tests/PackFixtures/FutureEnginePack", publicHeadersPath: "."),
        .testTarget(name: "RxPacksTests", dependencies: ["RxPacks"], swiftSettings: strict),
        .testTarget(name: "RxValuesTests", dependencies: ["RxValues"], swiftSettings: strict),
        .testTarget(
            name: "RxLanguageTests", dependencies: ["RxLanguage"],
            resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "RxRecordsTests", dependencies: ["RxRecords", "RxValues"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "RxAdherenceTests", dependencies: ["RxAdherence"], swiftSettings: strict),
        .testTarget(name: "RxSynthTests", dependencies: ["RxSynth"], swiftSettings: strict),
        .testTarget(name: "RxEngineTests", dependencies: ["RxEngine"], swiftSettings: strict),
        .testTarget(name: "RxCommandsTests", dependencies: ["RxCommands", "RxValues", "RxAdherence"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

// Every folder under rules/ that holds a pack.rules is a pack module: a dynamic library built by the
// RxPackBuilder plugin. Adding a pack needs no edit here.
let packFolders: [String] = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("rules")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.filter {
        FileManager.default.fileExists(atPath: root.appendingPathComponent($0).appendingPathComponent("pack.rules").path)
    }.sorted()
}()

/// `pqa-adherence` → `PqaAdherence` (the library is `libPqaAdherence.so`).
func packModuleName(_ folder: String) -> String {
    let words = folder.split { !$0.isLetter && !$0.isNumber }
    let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    return name.first?.isLetter == true ? name : "Pack" + name
}

for folder in packFolders {
    let module = packModuleName(folder)
    package.products.append(.library(name: module, type: .dynamic, targets: [module]))
    package.targets.append(.target(
        name: module, dependencies: ["CRxPackABI", "RxPackSupport"], path: "rules/\(folder)",
        swiftSettings: strict, plugins: ["RxPackBuilder"]))
}
