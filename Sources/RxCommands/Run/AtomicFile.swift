import Foundation

/// Writes a file so that it appears complete or not at all: the bytes go to a hidden temporary
/// file in the same folder, which is then renamed over the target (rename is atomic on one file
/// system). A run killed half-way leaves only `.name.partial` files, never a truncated `name`.
struct AtomicFile {
    let path: String

    func write(_ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial")
        try Data(bytes).write(to: temporary)
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw AtomicFileError(path: path, reason: reason)
        }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }
}

/// A result file could not be put in place.
struct AtomicFileError: Error, CustomStringConvertible {
    var path: String
    var reason: String
    var description: String { "cannot write \(path): \(reason)" }
}
