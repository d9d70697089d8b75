import CRxScan

/// One scanned CSV row: field byte ranges valid until the next call to `next`.
struct CSVRow {
    /// Field contents, unquoted. Pointers into the input buffer or the unquoting scratch.
    var fields: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>
    var fieldCount = 0
    /// The raw bytes of the row, without its line terminator.
    var raw: UnsafeBufferPointer<UInt8>
    /// Physical line (1-based) where the row starts.
    var line = 0
    /// Whether any byte is ≥ 0x80 (then the row must be checked as UTF-8).
    var hasHighBytes = false
    /// A quote in the middle of an unquoted field or text after a closing quote.
    var malformedQuote = false

    @inline(__always)
    func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        index < fieldCount ? fields[index] : UnsafeBufferPointer(start: nil, count: 0)
    }

    var rawText: String { String(decoding: raw, as: UTF8.self) }
}

/// What `CSVScanner.next` found.
enum CSVScanResult {
    case row
    case end
    /// An opening quote never closed (or a row longer than the limit): the rest of the file is one
    /// broken record starting at `line`. Scanning stops.
    case unterminated(line: Int, raw: String)
}

/// A hand-written RFC 4180 byte scanner: quotes, doubled quotes, embedded commas and newlines,
/// CRLF or LF, an optional UTF-8 BOM, with or without a final newline.
///
/// Unquoted fields are returned as pointers into the read buffer (no copy); quoted fields are
/// unescaped into a scratch buffer. Nothing allocates per row once the buffers are warm.
final class CSVScanner {
    let input: ChunkedInput
    private var position = 0
    private var line = 1
    private var fieldStorage: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>
    private var scratch: UnsafeMutableBufferPointer<UInt8>
    var row: CSVRow

    /// `skipsBOM` is false for a worker starting mid-file (a BOM is only meaningful at byte 0).
    init(input: ChunkedInput, skipsBOM: Bool = true) {
        self.input = input
        fieldStorage = .allocate(capacity: 64)
        scratch = .allocate(capacity: 1 << 16)
        row = CSVRow(fields: fieldStorage, raw: UnsafeBufferPointer(start: nil, count: 0))
        if skipsBOM { skipBOM() }
    }

    /// File offset where the next row starts.
    var offset: Int { input.discarded + position }
    /// Physical line (1-based) where the next row starts.
    var nextLine: Int { line }

    deinit {
        fieldStorage.deallocate()
        scratch.deallocate()
    }

    private func skipBOM() {
        if input.end - input.start < 3 && !input.atEOF { _ = try? input.refill(keepingFrom: input.start) }
        let b = input.buffer
        if input.end >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { position = 3 }
    }

    /// Scans the next row into `row`.
    func next() throws -> CSVScanResult {
        while true {
            if position >= input.end {
                if input.atEOF { return .end }
                let (moved, _) = try input.refill(keepingFrom: position)
                position -= moved
                continue
            }
            if !stopped, scanPlainRow() { return .row }
            if let result = scanRow() { return result }
            // The row runs past the buffer: keep it, read more, rescan from its start.
            if input.isAtRecordLimit || input.atEOF {
                return unterminated()
            }
            let (moved, _) = try input.refill(keepingFrom: position)
            position -= moved
        }
    }

    private func unterminated() -> CSVScanResult {
        let limit = min(input.end, position + 4096)
        let raw = String(decoding: UnsafeBufferPointer(rebasing: input.buffer[position..<limit]), as: UTF8.self)
        position = input.end
        // Drain so `next` ends: the file stops cleanly after this record.
        input.start = input.end
        let result = CSVScanResult.unterminated(line: line, raw: raw)
        stopped = true
        return result
    }

    private var stopped = false

    /// The common row with no quote, CR or byte >= 0x80 before its line feed, scanned 64 bytes at a
    /// time: commas and line feeds come as bit masks (`rx_classify64`) and each comma ends a field.
    /// False (nothing consumed) for any other row or when the row's line feed is not within the
    /// buffer's last whole 64 bytes; `scanRow` then handles it byte by byte.
    @inline(__always)
    private func scanPlainRow() -> Bool {
        let base = input.buffer.baseAddress!
        let end = input.end
        var index = position
        var fieldStart = index
        var fieldCount = 0
        while index + 64 <= end {
            let masks = rx_classify64(base + index)
            var commas = masks.comma
            let lineFeeds = masks.newline
            var other = masks.special
            if lineFeeds != 0 {
                // Only the bytes before the first line feed belong to this row.
                let before = (lineFeeds & (0 &- lineFeeds)) &- 1
                commas &= before
                other &= before
            }
            if other != 0 { return false }
            // Room for every field this window can end, checked once.
            while fieldCount + commas.nonzeroBitCount + 1 > fieldStorage.count { growFields() }
            // Wrapping arithmetic: offsets stay within the buffer, so no overflow check per comma.
            while commas != 0 {
                let comma = index &+ commas.trailingZeroBitCount
                fieldStorage[fieldCount] = UnsafeBufferPointer(start: base + fieldStart, count: comma &- fieldStart)
                fieldCount &+= 1
                fieldStart = comma &+ 1
                commas &= commas &- 1
            }
            if lineFeeds != 0 {
                let lineFeed = index + lineFeeds.trailingZeroBitCount
                fieldStorage[fieldCount] = UnsafeBufferPointer(start: base + fieldStart, count: lineFeed - fieldStart)
                fieldCount += 1
                row.fields = fieldStorage
                row.fieldCount = fieldCount
                row.raw = UnsafeBufferPointer(start: base + position, count: lineFeed - position)
                row.line = line
                row.hasHighBytes = false
                row.malformedQuote = false
                line += 1
                position = lineFeed + 1
                return true
            }
            index += 64
        }
        return false
    }

    /// Scans one row starting at `position`; nil when the buffer ends before the row does (and more
    /// input may follow). At EOF a missing final newline ends the row.
    @inline(__always)
    private func scanRow() -> CSVScanResult? {
        if stopped { return .end }
        let base = input.buffer.baseAddress!
        let end = input.end
        let eof = input.atEOF
        var index = position
        var fieldCount = 0
        var newlines = 0
        var high: UInt8 = 0
        var scratchUsed = 0
        var malformed = false
        if scratch.count < input.buffer.count {
            scratch.deallocate()
            scratch = .allocate(capacity: input.buffer.count)
        }
        var rowEnd = -1
        var nextPosition = -1
        fieldLoop: while true {
            if fieldCount == fieldStorage.count { growFields() }
            if index < end && base[index] == UInt8(ascii: "\"") {
                // Quoted field: copy into scratch, turning "" into ".
                index += 1
                let fieldStart = scratchUsed
                while true {
                    guard index < end else { return eof ? unterminated() : nil }
                    let byte = base[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < end, base[index + 1] == UInt8(ascii: "\"") {
                            scratch[scratchUsed] = byte
                            scratchUsed += 1
                            index += 2
                            continue
                        }
                        if index + 1 >= end && !eof { return nil }
                        index += 1
                        break
                    }
                    if byte == UInt8(ascii: "\n") { newlines += 1 }
                    high |= byte
                    scratch[scratchUsed] = byte
                    scratchUsed += 1
                    index += 1
                }
                fieldStorage[fieldCount] = UnsafeBufferPointer(
                    start: scratch.baseAddress! + fieldStart, count: scratchUsed - fieldStart)
                fieldCount += 1
                // After the closing quote: a separator, a line end or the end of input.
                if index >= end {
                    rowEnd = index; nextPosition = index; break fieldLoop
                }
                var byte = base[index]
                if byte != UInt8(ascii: ",") && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r") {
                    // Text after a closing quote: malformed; skip to the next separator or line end.
                    malformed = true
                    while index < end {
                        byte = base[index]
                        if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") { break }
                        index += 1
                    }
                    if index >= end {
                        if !eof { return nil }
                        rowEnd = index; nextPosition = index; break fieldLoop
                    }
                }
                if byte == UInt8(ascii: ",") { index += 1; continue fieldLoop }
                if byte == UInt8(ascii: "\r") {
                    if index + 1 >= end && !eof { return nil }
                    if index + 1 < end && base[index + 1] == UInt8(ascii: "\n") {
                        rowEnd = index; nextPosition = index + 2; break fieldLoop
                    }
                    malformed = true
                    index += 1
                    continue fieldLoop
                }
                rowEnd = index; nextPosition = index + 1; break fieldLoop
            }
            // Unquoted field: up to a comma, LF, or CRLF.
            let fieldStart = index
            while index < end {
                let byte = base[index]
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                if byte == UInt8(ascii: "\"") { malformed = true }
                high |= byte
                index += 1
            }
            if index >= end {
                guard eof else { return nil }
                fieldStorage[fieldCount] = UnsafeBufferPointer(start: base + fieldStart, count: index - fieldStart)
                fieldCount += 1
                rowEnd = index; nextPosition = index; break fieldLoop
            }
            let byte = base[index]
            if byte == UInt8(ascii: "\r") {
                if index + 1 >= end && !eof { return nil }
                if !(index + 1 < end && base[index + 1] == UInt8(ascii: "\n")) {
                    // A lone CR inside a field is kept as data.
                    high |= byte
                    index += 1
                    // Continue the same field by rescanning: treat as part of the field.
                    while index < end, base[index] != UInt8(ascii: ","), base[index] != UInt8(ascii: "\n") { index += 1 }
                    if index >= end && !eof { return nil }
                    fieldStorage[fieldCount] = UnsafeBufferPointer(start: base + fieldStart, count: index - fieldStart)
                    fieldCount += 1
                    if index < end && base[index] == UInt8(ascii: ",") { index += 1; continue fieldLoop }
                    rowEnd = index; nextPosition = min(index + 1, end); break fieldLoop
                }
            }
            fieldStorage[fieldCount] = UnsafeBufferPointer(start: base + fieldStart, count: index - fieldStart)
            fieldCount += 1
            if byte == UInt8(ascii: ",") {
                index += 1
                if index >= end && eof {
                    // A trailing comma at the end of input: one more, empty field.
                    if fieldCount == fieldStorage.count { growFields() }
                    fieldStorage[fieldCount] = UnsafeBufferPointer(start: base + index, count: 0)
                    fieldCount += 1
                    rowEnd = index; nextPosition = index; break fieldLoop
                }
                continue fieldLoop
            }
            rowEnd = index
            nextPosition = byte == UInt8(ascii: "\r") ? index + 2 : index + 1
            break fieldLoop
        }
        row.fields = fieldStorage
        row.fieldCount = fieldCount
        row.raw = UnsafeBufferPointer(start: base + position, count: rowEnd - position)
        row.line = line
        row.hasHighBytes = high >= 0x80
        row.malformedQuote = malformed
        line += newlines + 1
        position = nextPosition
        return .row
    }

    /// The fields of a row as trimmed strings (a header).
    static func strings(_ row: CSVRow) -> [String] {
        (0..<row.fieldCount).map { String(decoding: row.field($0), as: UTF8.self).trimmingWhitespace }
    }

    /// Room for at least `count` fields per row (a caller may set the one after a row's last).
    func reserveFields(_ count: Int) {
        while fieldStorage.count < count { growFields() }
    }

    private func growFields() {
        let larger = UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: fieldStorage.count * 2)
        _ = larger.initialize(from: fieldStorage)
        fieldStorage.deallocate()
        fieldStorage = larger
        row.fields = larger
    }
}
