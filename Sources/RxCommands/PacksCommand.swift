import ArgumentParser
import Foundation
import RxLanguage
import RxPacks

/// `rxrules packs`: what packs are there, what is in them, and are they the approved ones.
public struct PacksCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "packs",
        abstract: "List, describe and verify rule packs (source folders or compiled modules).",
        subcommands: [List.self, Info.self, Verify.self]
    )

    public init() {}

    /// Expands folders of packs into pack folders; files and pack folders pass through.
    static func expand(_ paths: [String]) throws -> [String] {
        var result: [String] = []
        for path in paths.isEmpty ? ["rules"] : paths {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
               !FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent("pack.rules")) {
                do {
                    result += try PackFolder.discover([path])
                } catch {
                    throw ValidationError(error.description)
                }
            } else {
                result.append(path)
            }
        }
        return result
    }

    static func load(_ path: String) throws -> LoadedPack {
        do {
            return try PackSource.load(path)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.failure)
        }
    }

    public struct List: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "One line per pack: name, version, content hash and where it was loaded from.",
            discussion: "A PATH is a pack folder, a folder of packs (default: rules) or a compiled pack module (.so).")

        @ArgumentParser.Argument(help: "Pack folders, folders of packs, or pack modules.")
        public var paths: [String] = []

        public init() {}

        public func run() throws {
            var failed = false
            for path in try PacksCommand.expand(paths) {
                do {
                    let pack = try PackSource.load(path)
                    print("\(pack.name)\t\(pack.version)\tsha256:\(pack.contentHash.prefix(16))\t\(pack.origin)")
                } catch {
                    printError("error: \(error.description)")
                    failed = true
                }
            }
            if failed { throw ExitCode(ExitStatus.failure) }
        }
    }

    public struct Info: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Everything about one pack: version, engine range, hash, outputs, parameters, native functions.")

        @ArgumentParser.Argument(help: "A pack folder or a compiled pack module.")
        public var path: String

        public init() {}

        public func run() throws {
            let pack = try PacksCommand.load(path)
            let checked = PackChecker.check(folder: pack.folder, overrides: [], reportUnknownOverrides: true)
            var lines = [
                "pack        \(pack.name)",
                "version     \(pack.version)",
                "engine      \(pack.engineRange.isEmpty ? "any" : pack.engineRange) (this host: \(EngineVersion.current))",
                "hash        sha256:\(pack.contentHash)",
                "loaded from \(pack.origin)",
                "files       \(pack.folder.files.count): \(pack.folder.files.map(\.relativePath).joined(separator: ", "))",
            ]
            if let currency = checked.pack.currency { lines.append("currency    \(currency)") }
            lines.append("outputs")
            for block in checked.pack.outputs.keys.sorted() {
                let values = checked.pack.outputs[block] ?? [:]
                // A measure with `for each` writes one row per element, numbered in the named column.
                let rows = checked.pack.rowMeasures[block].map { " (one row per \($0))" } ?? ""
                lines.append("  \(block)\(rows): " + values.keys.sorted().map { "\($0): \(values[$0].map(String.init(describing:)) ?? "?")" }.joined(separator: ", "))
            }
            for rule in checked.pack.rejectCodes.keys.sorted() {
                lines.append("  \(rule) (claim rule): rejects \((checked.pack.rejectCodes[rule] ?? []).joined(separator: ", "))")
            }
            lines.append("parameters")
            for name in checked.pack.parameters.keys.sorted() {
                guard let parameter = checked.pack.parameters[name] else { continue }
                lines.append("  \(name): \(parameter.type) = \(parameter.value.map(String.init(describing:)) ?? "(none)")")
            }
            lines.append("value sets")
            for name in checked.pack.valueSets.keys.sorted() {
                guard let set = checked.pack.valueSets[name] else { continue }
                let columns = set.columns.keys.sorted()
                lines.append("  \(name): \(set.codes.count + set.prefixes.count) codes"
                    + (columns.isEmpty ? "" : ", columns \(columns.joined(separator: ", "))")
                    + (set.version.map { ", version \($0)" } ?? ""))
            }
            lines.append("native functions")
            let declared = checked.pack.nativeFunctions
            if declared.isEmpty { lines.append("  (none)") }
            for name in declared.keys.sorted() {
                guard let signature = declared[name] else { continue }
                let arguments = signature.parameters.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
                let registered = pack.nativeFunctions.contains { $0.name == name }
                lines.append("  \(name)(\(arguments)) returns \(signature.result)  \(signature.documentation)"
                    + (registered ? "  [registered by the module]" : ""))
            }
            print(lines.joined(separator: "\n"))
            if checked.hasErrors {
                printError("error: the pack has errors; run 'rxrules check \(path)'")
                throw ExitCode(ExitStatus.failure)
            }
        }
    }

    public struct Verify: ParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Load and check packs the way a run would, refusing anything doubtful.",
            discussion: """
                Refuses files that are not packs, modules built for another ABI or engine version, \
                modules whose content does not match their embedded hash, a source folder that differs \
                from its compiled module when both are given, two packs with one name, and (with \
                --require-hash) any pack whose hash is not the approved one. Exit status 1 on any refusal.
                """)

        @ArgumentParser.Argument(help: "Pack folders, folders of packs, or pack modules.")
        public var paths: [String] = []

        @Option(name: .customLong("require-hash"), help: ArgumentHelp(
            "Pin a pack to the hash an insurer approved (repeatable).", valueName: "name=sha256:hex"))
        public var requiredHashes: [String] = []

        public init() {}

        public func run() throws {
            var required: [String: String] = [:]
            for pin in requiredHashes {
                let parts = pin.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("--require-hash needs name=hash, found '\(pin)'") }
                let hash = parts[1].hasPrefix("sha256:") ? String(parts[1].dropFirst(7)) : parts[1]
                required[parts[0]] = hash
            }
            let packs: [LoadedPack]
            do {
                packs = try PackSource.loadAll(try PacksCommand.expand(paths), requiredHashes: required)
            } catch let refusal as PackRefusal {
                printError("error: \(refusal.description)")
                throw ExitCode(ExitStatus.failure)
            }
            var failed = false
            for pack in packs {
                let checked = PackChecker.check(folder: pack.folder, overrides: [], reportUnknownOverrides: true)
                if checked.hasErrors {
                    let text = DiagnosticRenderer(format: .compact, colored: false).render(checked.diagnostics, files: checked.sources)
                    printError(text)
                    failed = true
                    continue
                }
                do {
                    _ = try PackSource.bindNatives(
                        pack, declared: checked.pack.nativeFunctions, moduleDirectories: [PackSource.hostDirectory])
                } catch {
                    printError("error: \(error.description)")
                    failed = true
                    continue
                }
                print("ok \(pack.name) \(pack.version) sha256:\(pack.contentHash) (\(pack.origin))")
            }
            if failed { throw ExitCode(ExitStatus.failure) }
        }
    }
}
