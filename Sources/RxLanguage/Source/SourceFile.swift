/// Identifies one source file among those loaded in a run; ranges name their file by this ID.
public struct SourceFileID: Hashable, Sendable, CustomStringConvertible {
    /// The raw number; callers choose it (for example the file's index in a pack).
    public var rawValue: Int32

    /// Wraps a raw number.
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    public var description: String { "#\(rawValue)" }
}

/// A half-open range of UTF-8 byte offsets `start..<end` inside one source file.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    /// The file the offsets point into.
    public var file: SourceFileID
    /// Offset of the first byte.
    public var start: Int
    /// Offset one past the last byte; equal to `start` for an empty (insertion point) range.
    public var end: Int

    /// A range of bytes; `end` is clamped so it is never before `start`.
    public init(file: SourceFileID, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range covering both ranges (same file assumed).
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    /// The empty range at this range's end.
    public var endPoint: SourceRange { SourceRange(file: file, start: end, end: end) }

    public var description: String { "\(file):\(start)..<\(end)" }
}

/// A 1-based line and column. Columns count UTF-8 bytes from the start of the line (like clang),
/// so they are exact for any input, including invalid UTF-8; the renderer realigns carets itself.
public struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, in UTF-8 bytes.
    public var column: Int

    /// Wraps a line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// The text of one rules file as UTF-8 bytes, with a line table for offset → line/column lookups.
///
/// The bytes are kept exactly as read: invalid UTF-8 is diagnosed by the lexer, never repaired here.
public struct SourceFile: Sendable, Equatable {
    /// The file's ID, stamped into every range the parser produces.
    public var id: SourceFileID
    /// The path as the user should see it in diagnostics (relative to where the user ran the tool).
    public var path: String
    /// The raw bytes.
    public let bytes: [UInt8]
    /// Byte offset where each line starts; line N (1-based) starts at `lineStarts[N - 1]`.
    public let lineStarts: [Int]

    /// Wraps raw bytes and builds the line table (lines end at `\n`; a `\r` before it is part of the line end).
    public init(id: SourceFileID = SourceFileID(0), path: String, bytes: [UInt8]) {
        self.id = id
        self.path = path
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// Wraps a string's UTF-8 encoding.
    public init(id: SourceFileID = SourceFileID(0), path: String, text: String) {
        self.init(id: id, path: path, bytes: Array(text.utf8))
    }

    /// Number of lines (a file without a final newline still counts its last line; an empty file has one).
    public var lineCount: Int { lineStarts.count }

    /// The 1-based line and column of a byte offset; offsets past the end map to the end of the file.
    public func location(of offset: Int) -> SourcePosition {
        let clamped = max(0, min(offset, bytes.count))
        // Binary search for the last line start <= offset.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        return SourcePosition(line: low + 1, column: clamped - lineStarts[low] + 1)
    }

    /// Byte offsets of a line's content, without its `\n` or `\r\n` ending.
    public func lineRange(_ line: Int) -> Range<Int> {
        guard line >= 1, line <= lineStarts.count else { return bytes.count..<bytes.count }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<end
    }

    /// The text of a byte range, with invalid UTF-8 replaced by U+FFFD (for display only).
    public func text(_ range: Range<Int>) -> String {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        return String(decoding: bytes[lower..<upper], as: UTF8.self)
    }

    /// The text a source range covers (display only: invalid UTF-8 is replaced).
    public func text(_ range: SourceRange) -> String { text(range.start..<range.end) }
}
