#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors from opening or reading an input file (environment problems, not bad rows).
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String

    public var description: String { "\(file): \(message)" }
}

/// Bytes of one file read in large chunks with read(2), or of an in-memory buffer.
///
/// The window `buffer[start..<end]` holds unconsumed bytes; `refill` moves them to the front and
/// reads more, growing the buffer only when a single record is larger than it (up to `maxRecordBytes`).
final class ChunkedInput {
    private(set) var buffer: UnsafeMutableBufferPointer<UInt8>
    var start = 0
    private(set) var end = 0
    private(set) var atEOF = false
    /// File bytes dropped from the front of the window so far (plus the start offset): the file
    /// offset of `buffer[i]` is `discarded + i`.
    private(set) var discarded = 0
    private let descriptor: Int32
    private var memory: [UInt8]?
    let name: String
    /// A record longer than this stops the file: memory per row stays bounded.
    let maxRecordBytes: Int

    /// Reads the file from byte `startOffset` on (a worker's half of a split file).
    /// Chunks of 256 KiB: the scanner reads each chunk while it is still in the core's L2 cache
    /// after `read` copied it (4 MiB chunks measured 5 % slower end to end).
    init(path: String, name: String, startOffset: Int = 0, chunkBytes: Int = 1 << 18, maxRecordBytes: Int = 1 << 24) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(file: name, message: "cannot open: \(String(cString: strerror(errno)))") }
        if startOffset > 0, lseek(fd, off_t(startOffset), SEEK_SET) < 0 {
            close(fd)
            throw InputError(file: name, message: "cannot seek: \(String(cString: strerror(errno)))")
        }
        discarded = startOffset
        descriptor = fd
        self.name = name
        self.maxRecordBytes = maxRecordBytes
        buffer = .allocate(capacity: chunkBytes)
    }

    /// Reads from bytes already in memory (tests, converted inputs).
    init(bytes: [UInt8], name: String, maxRecordBytes: Int = 1 << 24) {
        descriptor = -1
        self.name = name
        self.maxRecordBytes = maxRecordBytes
        buffer = .allocate(capacity: max(bytes.count, 16))
        _ = buffer.initialize(from: bytes)
        end = bytes.count
        atEOF = true
    }

    deinit {
        buffer.deallocate()
        if descriptor >= 0 { close(descriptor) }
    }

    /// Keeps `buffer[keepFrom..<end]`, moves it to the front, and reads more bytes.
    /// Returns the distance the kept bytes moved (subtract it from saved offsets); false when at EOF.
    func refill(keepingFrom keepFrom: Int) throws -> (moved: Int, gotMore: Bool) {
        if atEOF { return (0, false) }
        let kept = end - keepFrom
        if keepFrom > 0, kept > 0 {
            buffer.baseAddress!.update(from: buffer.baseAddress! + keepFrom, count: kept)
        }
        let moved = keepFrom
        discarded += moved
        start -= moved
        end = kept
        if end == buffer.count {
            guard buffer.count < maxRecordBytes else { return (moved, false) }
            let larger = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: buffer.count * 2)
            larger.baseAddress!.update(from: buffer.baseAddress!, count: end)
            buffer.deallocate()
            buffer = larger
        }
        while true {
            let count = read(descriptor, buffer.baseAddress! + end, buffer.count - end)
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(file: name, message: "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { atEOF = true; return (moved, false) }
            end += count
            return (moved, true)
        }
    }

    /// Whether the buffer is full and may not grow: the current record is too long.
    var isAtRecordLimit: Bool { end == buffer.count && buffer.count >= maxRecordBytes }
}
