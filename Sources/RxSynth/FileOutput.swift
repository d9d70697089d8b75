#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened for writing with the C library: large unbuffered-by-us writes, errors as SynthError.
final class FileOutput {
    let path: String
    private var handle: UnsafeMutablePointer<FILE>?

    init(path: String) throws(SynthError) {
        self.path = path
        guard let handle = fopen(path, "wb") else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws(SynthError) {
        guard let handle else { throw .cannotWrite(path: path, reason: "already closed") }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard written == bytes.count else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    func close() throws(SynthError) {
        guard let handle else { return }
        self.handle = nil
        guard fclose(handle) == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }

    deinit {
        if let handle { fclose(handle) }
    }

    /// Creates a folder and its parents; fine when it already exists.
    static func makeDirectory(_ path: String) throws(SynthError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }
}
