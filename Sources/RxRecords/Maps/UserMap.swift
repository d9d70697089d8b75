/// A column map written by the user: one section per record kind, `field = source` lines.
///
/// ```
/// # comments start with '#'
/// [pharmacy_claims]
/// file = rx_extract.csv
/// date_format = MM/DD/YYYY
/// claim_id = CLAIM_NO
/// status = "paid"              # quoted: a constant
/// dx_codes = DX1 | DX2 | DX3   # several columns joined with '|'
/// sex = GENDER {1=M, 2=F}      # translated values
/// ```
/// Full description in docs/data.md.
public struct UserMap: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var file: String
        public var rules: [String: FieldRule]
    }

    public var sections: [RecordKind: Section]

    /// A map file problem with its 1-based line.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Parses map file text.
    public static func parse(_ text: String) throws(ParseError) -> UserMap {
        var sections: [RecordKind: Section] = [:]
        var current: RecordKind?
        var file: String?
        var datePattern: DatePattern?
        var rules: [String: FieldRule] = [:]
        var pendingLine = 0

        func finish() throws(ParseError) {
            guard let kind = current else { return }
            guard let file else { throw ParseError(line: pendingLine, message: "section [\(kind.fileStem)] has no 'file ='") }
            // Date fields read from a column use the section's date format.
            if let datePattern {
                for (field, rule) in rules where field.hasSuffix("date") || field == "date" {
                    if case .column(let column) = rule { rules[field] = .date(column, datePattern) }
                }
            }
            sections[kind] = Section(file: file, rules: rules)
        }

        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            var line = Substring(rawLine)
            if let hash = line.firstIndex(of: "#"), !line[..<hash].contains("\"") { line = line[..<hash] }
            let trimmed = line.trimmingWhitespace
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[") {
                guard trimmed.hasSuffix("]"), let kind = RecordKind(fileStem: String(trimmed.dropFirst().dropLast())) else {
                    throw ParseError(line: number, message: "unknown section \(trimmed); expected [members], [enrollment], [pharmacy_claims], [medical_claims] or [observations]")
                }
                try finish()
                guard sections[kind] == nil else { throw ParseError(line: number, message: "section \(trimmed) appears twice") }
                current = kind; file = nil; datePattern = nil; rules = [:]; pendingLine = number
                continue
            }
            guard let kind = current else { throw ParseError(line: number, message: "a line before the first [section]") }
            guard let equals = trimmed.firstIndex(of: "=") else { throw ParseError(line: number, message: "expected 'field = source'") }
            let key = String(trimmed[..<equals]).trimmingWhitespace
            let value = String(trimmed[trimmed.index(after: equals)...]).trimmingWhitespace
            guard !value.isEmpty else { throw ParseError(line: number, message: "'\(key)' has no value") }
            switch key {
            case "file": file = value
            case "date_format":
                guard let pattern = DatePattern(value) else {
                    throw ParseError(line: number, message: "date format '\(value)' needs YYYY, MM and DD once each")
                }
                datePattern = pattern
            default:
                guard kind.fields.contains(key) else {
                    throw ParseError(line: number, message: "'\(key)' is not a field of \(kind.fileStem) (\(kind.fields.joined(separator: ", ")))")
                }
                guard rules[key] == nil else { throw ParseError(line: number, message: "'\(key)' is mapped twice") }
                rules[key] = try rule(value, line: number)
            }
        }
        try finish()
        guard !sections.isEmpty else { throw ParseError(line: 1, message: "the map has no sections") }
        return UserMap(sections: sections)
    }

    private static func rule(_ value: String, line: Int) throws(ParseError) -> FieldRule {
        if value.hasPrefix("\"") {
            guard value.count >= 2, value.hasSuffix("\"") else { throw ParseError(line: line, message: "unterminated constant \(value)") }
            return .constant(String(value.dropFirst().dropLast()))
        }
        if let brace = value.firstIndex(of: "{") {
            guard value.hasSuffix("}") else { throw ParseError(line: line, message: "expected '}' at the end of a translation") }
            let column = String(value[..<brace]).trimmingWhitespace
            var table: [String: String] = [:]
            for pair in value[value.index(after: brace)..<value.index(before: value.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { throw ParseError(line: line, message: "expected 'source=value' in \(pair)") }
                table[String(parts[0]).trimmingWhitespace] = String(parts[1]).trimmingWhitespace
            }
            return .translate(column, table)
        }
        if value.contains("|") {
            return .join(value.split(separator: "|").map { String($0).trimmingWhitespace })
        }
        return .column(value)
    }
}

extension StringProtocol {
    var trimmingWhitespace: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
