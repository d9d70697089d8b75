/// A value-set CSV read into memory: a header and rows of cells with their source positions.
public struct ValueSetTable: Sendable, Equatable {
    /// One cell and where it starts in the file (UTF-8 byte offset), for diagnostics.
    public struct Cell: Sendable, Equatable {
        /// The cell text, trimmed, quotes resolved.
        public var text: String
        /// UTF-8 byte offset of the cell in the file.
        public var offset: Int
    }

    /// Column names of the header row, trimmed.
    public var header: [Cell]
    /// Data rows; a row's cells line up with `header` (short rows are padded with empty cells).
    public var rows: [[Cell]]

    /// The index of the column called `name`, if the header has it.
    public func column(_ name: String) -> Int? {
        header.firstIndex { $0.text == name }
    }

    /// Parses RFC 4180 CSV (quoted fields, `""` escapes, CRLF or LF); blank lines are skipped.
    ///
    /// Never fails: an unterminated quote ends at end of file. Cells are trimmed of spaces.
    public static func parse(_ bytes: [UInt8]) -> ValueSetTable {
        var records: [[Cell]] = []
        var record: [Cell] = []
        var field: [UInt8] = []
        var fieldStart = 0
        var inQuotes = false
        var index = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; fieldStart = 3 }
        func endField() {
            var text = String(decoding: field, as: UTF8.self)
            while text.first == " " { text.removeFirst() }
            while text.last == " " { text.removeLast() }
            record.append(Cell(text: text, offset: fieldStart))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() {
            endField()
            if !(record.count == 1 && record[0].text.isEmpty) { records.append(record) }
            record = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""):
                    inQuotes = true
                case UInt8(ascii: ","):
                    endField()
                    fieldStart = index + 1
                case UInt8(ascii: "\r"):
                    break
                case UInt8(ascii: "\n"):
                    endRecord()
                    fieldStart = index + 1
                default:
                    field.append(byte)
                }
            }
            index += 1
        }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let header = records.first else { return ValueSetTable(header: [], rows: []) }
        let rows = records.dropFirst().map { row -> [Cell] in
            var row = row
            while row.count < header.count { row.append(Cell(text: "", offset: row.last?.offset ?? 0)) }
            return row
        }
        return ValueSetTable(header: header, rows: Array(rows))
    }
}

/// The code systems a value set may declare.
public enum CodeSystem: String, Sendable, Hashable, CaseIterable {
    case ndc, icd10, icd9, loinc, cpt, hcpcs, rxnorm, local

    /// The canonical form of `code` in this system, or nil when the code is malformed.
    ///
    /// A trailing `*` marks a prefix and is kept. Only NDC has a strict shape: 11 digits, or a
    /// dashed 10-digit (4-4-2, 5-3-2, 5-4-1) or dashed 11-digit (5-4-2) form, normalised to 11 digits.
    /// ICD codes lose their dot so `I21.4` and `I214` match.
    public func normalize(_ code: String) -> String? {
        guard !code.isEmpty else { return nil }
        let isPrefix = code.hasSuffix("*")
        let body = isPrefix ? String(code.dropLast()) : code
        guard !body.isEmpty, !body.contains("*") else { return nil }
        switch self {
        case .ndc:
            if isPrefix {
                return body.count <= 11 && body.allSatisfy(\.isASCIIDigit) ? code : nil
            }
            return CodeSystem.normalizeNDC(body)
        case .icd10, .icd9:
            let compact = body.filter { $0 != "." }
            guard !compact.isEmpty, compact.allSatisfy({ $0.isASCIIDigit || $0.isASCIIUpperLetter }) else { return nil }
            return compact + (isPrefix ? "*" : "")
        case .loinc, .cpt, .hcpcs, .rxnorm, .local:
            return code.contains(where: { $0 == " " || $0 == "\t" }) ? nil : code
        }
    }

    /// 11-digit NDC from `00000000101`, `1234-5678-90`, `12345-678-90`, `12345-6789-0` or `12345-6789-01`.
    public static func normalizeNDC(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        let lengths = parts.map(\.count)
        switch lengths {
        case [11]: return text
        case [4, 4, 2]: return "0" + parts.joined()
        case [5, 3, 2]: return String(parts[0]) + "0" + parts[1] + parts[2]
        case [5, 4, 1]: return String(parts[0]) + parts[1] + "0" + parts[2]
        case [5, 4, 2]: return parts.joined()
        default: return nil
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIIUpperLetter: Bool { isASCII && isUppercase }
}
