import RxValues

/// How one canonical field is built from a source row (column maps other than the canonical one).
public enum FieldRule: Sendable, Equatable {
    /// The column's text as is.
    case column(String)
    /// The same text on every row.
    case constant(String)
    /// A date column in another format, rewritten as `YYYY-MM-DD`.
    case date(String, DatePattern)
    /// Non-empty values of several columns joined with `|` (codes).
    case join([String])
    /// The exact sum of the non-empty money values of several columns (empty when all are empty).
    case sum([String])
    /// `first − second`, exact (e.g. DE-SynPUF plan paid = total cost − patient pay).
    case difference(String, String)
    /// A translated value (`1` → `M`); a value not in the table passes through unchanged, so the
    /// canonical check rejects it with its original text.
    case translate(String, [String: String])

    /// Source columns this rule reads.
    var columns: [String] {
        switch self {
        case .column(let c), .date(let c, _), .translate(let c, _): [c]
        case .constant: []
        case .join(let cs), .sum(let cs): cs
        case .difference(let a, let b): [a, b]
        }
    }
}

/// A fixed-width date layout made of `YYYY`, `MM`, `DD` and literal separators (`MM/DD/YYYY`).
public struct DatePattern: Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    private let yearOffset: Int, monthOffset: Int, dayOffset: Int
    private let literals: [(offset: Int, byte: UInt8)]
    private let width: Int

    public static func == (lhs: DatePattern, rhs: DatePattern) -> Bool { lhs.pattern == rhs.pattern }

    /// Parses a pattern; nil unless it has exactly one `YYYY`, `MM` and `DD`.
    public init?(_ pattern: String) {
        let bytes = Array(pattern.utf8)
        var year: Int?, month: Int?, day: Int?
        var literals: [(Int, UInt8)] = []
        var index = 0
        func matches(_ token: String) -> Bool { bytes[index...].starts(with: token.utf8) }
        while index < bytes.count {
            if matches("YYYY") { guard year == nil else { return nil }; year = index; index += 4 }
            else if matches("MM") { guard month == nil else { return nil }; month = index; index += 2 }
            else if matches("DD") { guard day == nil else { return nil }; day = index; index += 2 }
            else {
                let byte = bytes[index]
                guard !(65...90).contains(byte) else { return nil }
                literals.append((index, byte)); index += 1
            }
        }
        guard let year, let month, let day else { return nil }
        self.pattern = pattern
        yearOffset = year; monthOffset = month; dayOffset = day
        self.literals = literals
        width = bytes.count
    }

    public var description: String { pattern }

    /// The day written in this pattern, or nil.
    public func parse(_ bytes: some Collection<UInt8>) -> Day? {
        let b = Array(bytes)
        guard b.count == width else { return nil }
        for (offset, byte) in literals where b[offset] != byte { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for i in start..<(start + count) {
                guard (48...57).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard let y = number(yearOffset, 4), let m = number(monthOffset, 2), let d = number(dayOffset, 2) else { return nil }
        return Day(year: y, month: m, day: d)
    }
}

/// A compiled column map for one CSV source: rules resolved to column indexes of its header.
struct CompiledRules {
    enum Step {
        case column(Int)
        case constant([UInt8])
        case date(Int, DatePattern)
        case join([Int])
        case sum([Int])
        case difference(Int, Int)
        case translate(Int, [String: String])
        case absent
    }

    var steps: [Step]
    /// Rows whose column has another value are skipped by design (DE-SynPUF SEGMENT ≠ 1).
    var keep: (column: Int, value: [UInt8])?

    /// Resolves `rules` (canonical field index → rule) against a header; throws on a missing column.
    init(kind: RecordKind, rules: [String: FieldRule], header: [String], keep: (String, String)?, file: String) throws {
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where index[name] == nil { index[name] = position }
        func column(_ name: String) throws -> Int {
            guard let position = index[name] else { throw InputError(file: file, message: "missing column '\(name)' required by the column map") }
            return position
        }
        steps = []
        for field in kind.fields {
            guard let rule = rules[field] else { steps.append(.absent); continue }
            switch rule {
            case .column(let c): steps.append(.column(try column(c)))
            case .constant(let text): steps.append(.constant(Array(text.utf8)))
            case .date(let c, let pattern): steps.append(.date(try column(c), pattern))
            case .join(let cs):
                // Optional numbered columns (ICD9_DGNS_CD_1...10) may be fewer in a file: keep those present.
                steps.append(.join(cs.compactMap { index[$0] }))
            case .sum(let cs): steps.append(.sum(cs.compactMap { index[$0] }))
            case .difference(let a, let b): steps.append(.difference(try column(a), try column(b)))
            case .translate(let c, let table): steps.append(.translate(try column(c), table))
            }
        }
        if let (name, value) = keep, let position = index[name] {
            self.keep = (position, Array(value.utf8))
        } else {
            self.keep = nil
        }
    }

    /// Whether the row is kept by the map's filter.
    func keeps(_ fields: (Int) -> UnsafeBufferPointer<UInt8>) -> Bool {
        guard let keep else { return true }
        return Array(fields(keep.column)) == keep.value
    }

    /// Fills `builder` with the canonical fields of a source row. A value that cannot be transformed
    /// (a bad date or amount) is passed through as is, so the canonical check rejects it by name.
    func apply(_ fields: (Int) -> UnsafeBufferPointer<UInt8>, into builder: CanonicalRowBuilder) {
        builder.reset()
        for (field, step) in steps.enumerated() {
            switch step {
            case .absent: continue
            case .column(let c):
                let bytes = fields(c)
                if !bytes.isEmpty { builder.set(field, bytes) }
            case .constant(let bytes): builder.set(field, bytes)
            case .date(let c, let pattern):
                let bytes = fields(c)
                if bytes.isEmpty { continue }
                if let day = pattern.parse(bytes) { builder.set(field, day.description) } else { builder.set(field, bytes) }
            case .join(let cs):
                var out: [UInt8] = []
                for c in cs {
                    let bytes = fields(c)
                    if bytes.isEmpty { continue }
                    if !out.isEmpty { out.append(UInt8(ascii: "|")) }
                    out.append(contentsOf: bytes)
                }
                if !out.isEmpty { builder.set(field, out) }
            case .sum(let cs):
                var total: ExactDecimal?
                var bad: [UInt8]?
                for c in cs {
                    let bytes = fields(c)
                    if bytes.isEmpty { continue }
                    guard let value = ExactDecimal(bytes: bytes) else { bad = Array(bytes); break }
                    total = (total ?? .zero).adding(value)
                    if total == nil { bad = Array("overflow".utf8); break }
                }
                if let bad { builder.set(field, bad) } else if let total { builder.set(field, total.description) }
            case .difference(let a, let b):
                let first = fields(a), second = fields(b)
                if first.isEmpty { continue }
                guard let x = ExactDecimal(bytes: first) else { builder.set(field, first); continue }
                if second.isEmpty { builder.set(field, first); continue }
                guard let y = ExactDecimal(bytes: second) else { builder.set(field, second); continue }
                if let difference = x.subtracting(y) { builder.set(field, difference.description) } else { builder.set(field, first) }
            case .translate(let c, let table):
                let bytes = fields(c)
                if bytes.isEmpty { continue }
                if let mapped = table[String(decoding: bytes, as: UTF8.self)] { builder.set(field, mapped) } else { builder.set(field, bytes) }
            }
        }
    }
}
