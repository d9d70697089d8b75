import Foundation
import RxLanguage

/// A pack as the host holds it: its content, where it came from, and what it registered.
public struct LoadedPack: Sendable {
    public enum Origin: Sendable, Equatable, CustomStringConvertible {
        /// A source folder `rules/<pack>/`, for authoring.
        case folder(String)
        /// A compiled pack module (`lib<Pack>.so`), for production.
        case module(String)

        public var description: String {
            switch self {
            case .folder(let path): "folder \(path)"
            case .module(let path): "module \(path)"
            }
        }
    }

    public var origin: Origin
    /// The pack's files; for a module, rebuilt from its embedded copies.
    public var folder: PackFolder
    public var name: String
    public var version: String
    public var engineRange: String
    /// SHA-256 over the pack's files (`PackFolder.contentHash`), recomputed by the host.
    public var contentHash: String
    public var nativeFunctions: [NativeFunctionInfo]
}

/// Why the host refuses a pack. Every refusal names the path and what to do.
public struct PackRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        case notFound
        case notAPack(String)
        case module(ModuleLoadError.Reason)
        case hashMismatch(embedded: String, computed: String)
        case engineOutOfRange(range: String, engine: String)
        case badEngineRange(String)
        case sourceDiffersFromModule(name: String, folderHash: String, moduleHash: String, other: String)
        case duplicateName(name: String, other: String)
        case hashNotApproved(name: String, required: String, actual: String)
        case nativeMismatch(name: String, detail: String)
        case nativesNeedModule(names: [String], module: String)
    }

    public var path: String
    public var reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .notFound:
            return "\(path): no such file or folder"
        case .notAPack(let detail):
            return "\(path): not a rule pack: \(detail)"
        case .module(let moduleReason):
            return ModuleLoadError(path: path, reason: moduleReason).description
        case .hashMismatch(let embedded, let computed):
            return "\(path): pack module content does not match its embedded hash (embedded \(short(embedded)), "
                + "content \(short(computed))); rebuild the module from its source folder"
        case .engineOutOfRange(let range, let engine):
            return "\(path): pack requires engine \(range), this host is engine \(engine)"
        case .badEngineRange(let range):
            return "\(path): pack declares an unreadable engine range '\(range)'"
        case .sourceDiffersFromModule(let name, let folderHash, let moduleHash, let other):
            return "\(path): pack '\(name)' differs from its compiled module \(other) "
                + "(folder \(short(folderHash)), module \(short(moduleHash))); rebuild the module or give only one"
        case .duplicateName(let name, let other):
            return "\(path): a second pack named '\(name)' (the first is \(other)); give each pack once"
        case .hashNotApproved(let name, let required, let actual):
            return "\(path): pack '\(name)' has hash \(actual), not the approved \(required)"
        case .nativeMismatch(let name, let detail):
            return "\(path): native function '\(name)' \(detail); rebuild the module from its source folder"
        case .nativesNeedModule(let names, let module):
            return "\(path): the pack declares native functions (\(names.joined(separator: ", "))) but its module "
                + "\(module) was not found; run 'swift build' or give the module with --pack"
        }
    }

    private func short(_ hash: String) -> String { String(hash.prefix(12)) }
}

/// Loads packs for the host from source folders or compiled modules, refusing anything doubtful.
public enum PackSource {
    /// Loads one pack. A folder must hold `pack.rules`; a file must be a pack module.
    public static func load(_ path: String) throws(PackRefusal) -> LoadedPack {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw PackRefusal(path: path, reason: .notFound)
        }
        return isDirectory.boolValue ? try loadFolder(path) : try loadModule(path)
    }

    static func loadFolder(_ path: String) throws(PackRefusal) -> LoadedPack {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard FileManager.default.fileExists(atPath: trimmed + "/pack.rules") else {
            throw PackRefusal(path: path, reason: .notAPack("the folder has no pack.rules"))
        }
        let folder: PackFolder
        do {
            folder = try PackFolder.load(path: trimmed)
        } catch {
            throw PackRefusal(path: path, reason: .notAPack(error.reason))
        }
        let header = PackHeader.read(folder)
        return LoadedPack(
            origin: .folder(trimmed), folder: folder, name: header.name ?? folder.name,
            version: header.version ?? "", engineRange: header.engineRange ?? "",
            contentHash: folder.contentHash, nativeFunctions: [])
    }

    static func loadModule(_ path: String) throws(PackRefusal) -> LoadedPack {
        let contents: ModuleContents
        do {
            contents = try ModuleLoader.load(path: path)
        } catch {
            throw PackRefusal(path: path, reason: .module(error.reason))
        }
        let files = contents.files.map { PackFolder.File(relativePath: $0.path, bytes: $0.bytes) }
        let folder = PackFolder(path: path, name: contents.name, files: files)
        let computed = folder.contentHash
        guard computed == contents.contentHash else {
            throw PackRefusal(path: path, reason: .hashMismatch(embedded: contents.contentHash, computed: computed))
        }
        if !contents.engineRange.isEmpty {
            guard let range = VersionRange(contents.engineRange) else {
                throw PackRefusal(path: path, reason: .badEngineRange(contents.engineRange))
            }
            guard range.contains(EngineVersion.current) else {
                throw PackRefusal(
                    path: path,
                    reason: .engineOutOfRange(range: contents.engineRange, engine: EngineVersion.current.description))
            }
        }
        return LoadedPack(
            origin: .module(path), folder: folder, name: contents.name, version: contents.version,
            engineRange: contents.engineRange, contentHash: computed, nativeFunctions: contents.nativeFunctions)
    }

    /// Loads several packs for one run. The same pack given as a folder and as a module is kept
    /// once when they are identical and refused when they differ; other repeated names are refused.
    /// `requiredHashes` pins packs by name to the hash an insurer approved.
    public static func loadAll(
        _ paths: [String], requiredHashes: [String: String] = [:]
    ) throws(PackRefusal) -> [LoadedPack] {
        var packs: [LoadedPack] = []
        for path in paths {
            let pack = try load(path)
            if let index = packs.firstIndex(where: { $0.name == pack.name }) {
                let other = packs[index]
                switch (other.origin, pack.origin) {
                case (.folder, .module), (.module, .folder):
                    guard other.contentHash == pack.contentHash else {
                        let (folderPack, modulePack) = pack.origin.isFolder ? (pack, other) : (other, pack)
                        throw PackRefusal(
                            path: path,
                            reason: .sourceDiffersFromModule(
                                name: pack.name, folderHash: folderPack.contentHash,
                                moduleHash: modulePack.contentHash, other: other.origin.path))
                    }
                    // Identical content: keep the module, which also carries native functions.
                    if case .module = pack.origin { packs[index] = pack }
                    continue
                default:
                    throw PackRefusal(path: path, reason: .duplicateName(name: pack.name, other: other.origin.path))
                }
            }
            packs.append(pack)
        }
        for pack in packs {
            if let required = requiredHashes[pack.name], required != pack.contentHash {
                throw PackRefusal(
                    path: pack.origin.path,
                    reason: .hashNotApproved(name: pack.name, required: required, actual: pack.contentHash))
            }
        }
        return packs
    }
}

extension LoadedPack.Origin {
    var isFolder: Bool { if case .folder = self { true } else { false } }
    var path: String {
        switch self {
        case .folder(let path), .module(let path): path
        }
    }
}
