import Foundation

/// The files of one pack folder (`rules/<pack>/`), read into memory.
///
/// Loading throws only for the environment (an unreadable folder); problems in the files'
/// contents are the checker's job and become diagnostics.
public struct PackFolder: Sendable {
    /// One file of the pack, by path relative to the pack folder (always `/`-separated).
    public struct File: Sendable, Equatable {
        /// The path inside the pack folder.
        public var relativePath: String
        /// The file's content.
        public var bytes: [UInt8]
    }

    /// The folder as given by the user (used to print file paths in diagnostics).
    public var path: String
    /// The folder's last path component, the pack's expected name.
    public var name: String
    /// Every regular file under the folder, sorted by relative path; hidden files are skipped.
    public var files: [File]

    /// The `.rules` files, `pack.rules` first, then the rest by path.
    public var ruleFiles: [File] {
        let rules = files.filter { $0.relativePath.hasSuffix(".rules") }
        return rules.filter { $0.relativePath == "pack.rules" } + rules.filter { $0.relativePath != "pack.rules" }
    }

    /// The file at `relativePath` (after resolving `.` and `..` segments), if it exists in the pack.
    public func file(at relativePath: String) -> File? {
        let wanted = PackFolder.normalize(relativePath)
        return files.first { $0.relativePath == wanted }
    }

    /// The display path of a pack file: the folder path joined with the relative path.
    public func displayPath(of relativePath: String) -> String {
        path.hasSuffix("/") ? path + relativePath : path + "/" + relativePath
    }

    /// SHA-256 over every file, in path order, each as: path bytes, a 0 byte, the length as
    /// 8 big-endian bytes, the content. Renaming, adding or changing any file changes the hash.
    public var contentHash: String {
        var hasher = SHA256()
        for file in files {
            hasher.update(Array(file.relativePath.utf8))
            hasher.update([0])
            let length = UInt64(file.bytes.count)
            hasher.update((0..<8).reversed().map { UInt8(truncatingIfNeeded: length >> (UInt64($0) * 8)) })
            hasher.update(file.bytes)
        }
        return SHA256.hexString(hasher.finalize())
    }

    public init(path: String, name: String, files: [File]) {
        self.path = path
        self.name = name
        self.files = files.sorted { $0.relativePath < $1.relativePath }
    }

    /// Reads every file under `path`.
    public static func load(path: String) throws(PackLoadError) -> PackFolder {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PackLoadError(path: path, reason: "no such folder")
        }
        guard let enumerator = manager.enumerator(atPath: path) else {
            throw PackLoadError(path: path, reason: "cannot list the folder")
        }
        var files: [File] = []
        let base = path.hasSuffix("/") ? path : path + "/"
        while let next = enumerator.nextObject() as? String {
            let components = next.split(separator: "/")
            if components.contains(where: { $0.hasPrefix(".") }) { continue }
            let full = base + next
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            guard let data = manager.contents(atPath: full) else {
                throw PackLoadError(path: full, reason: "cannot read the file")
            }
            files.append(File(relativePath: next, bytes: Array(data)))
        }
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        let name = trimmed.split(separator: "/").last.map(String.init) ?? trimmed
        return PackFolder(path: trimmed, name: name, files: files)
    }

    /// The pack folders named by `paths`: a folder holding `pack.rules` is a pack; otherwise each
    /// direct subfolder holding `pack.rules` is (so `rules/` checks every pack). Sorted, deduplicated.
    public static func discover(_ paths: [String]) throws(PackLoadError) -> [String] {
        let manager = FileManager.default
        var found: [String] = []
        for path in paths {
            let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: trimmed, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw PackLoadError(path: path, reason: "no such folder")
            }
            if manager.fileExists(atPath: trimmed + "/pack.rules") {
                found.append(trimmed)
                continue
            }
            let children = ((try? manager.contentsOfDirectory(atPath: trimmed)) ?? []).sorted()
            let packs = children.filter { !$0.hasPrefix(".") && manager.fileExists(atPath: trimmed + "/" + $0 + "/pack.rules") }
            guard !packs.isEmpty else {
                throw PackLoadError(path: path, reason: "no pack.rules here or in any subfolder")
            }
            found += packs.map { trimmed + "/" + $0 }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    /// Resolves `.` and `..` in a relative path; a path escaping the folder keeps its leading `..`.
    static func normalize(_ relativePath: String) -> String {
        var parts: [Substring] = []
        for part in relativePath.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}

/// A pack folder that could not be read.
public struct PackLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder or file concerned.
    public var path: String
    /// What went wrong, in words.
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
