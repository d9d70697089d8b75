#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RxValues

/// A row that broke the input contract: never guessed, never dropped.
public struct Reject: Sendable, Equatable, CustomStringConvertible {
    /// Input file name (no directory).
    public var file: String
    /// Physical line (1-based) where the record starts.
    public var line: Int
    /// The offending field name, or empty when the whole row is at fault.
    public var field: String
    public var reason: String
    /// The raw row text (truncated to 4 KiB for a record that runs to the end of the file).
    public var raw: String

    public init(file: String, line: Int, field: String, reason: String, raw: String) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.raw = raw
    }

    public var description: String { "\(file):\(line): \(field.isEmpty ? "" : "\(field): ")\(reason)" }
}

/// Per-file counts. `read == accepted + rejected + cancelled + skipped` always holds.
public struct ReadSummary: Sendable, Equatable {
    public var file: String
    public var kind: RecordKind
    /// Records read (a quoted field may span lines; blank lines are not records).
    public var read = 0
    /// Records that entered the evaluated set.
    public var accepted = 0
    /// Records written to rejects.
    public var rejected = 0
    /// Paid rows cancelled by a matching reversal, plus those reversal rows (two per pair).
    public var cancelled = 0
    /// Rows a column map drops by design (DE-SynPUF continuation segments).
    public var skipped = 0

    public init(file: String, kind: RecordKind) {
        self.file = file
        self.kind = kind
    }

    /// Whether the counts reconcile.
    public var isBalanced: Bool { read == accepted + rejected + cancelled + skipped }
}

/// How many rejects a run tolerates: an absolute count or a percentage of rows read.
public enum RejectBudget: Sendable, Equatable, CustomStringConvertible {
    case count(Int)
    case percent(ExactDecimal)

    /// No rejects allowed: the default.
    public static let none = RejectBudget.count(0)

    /// Parses `N` or `N%` (`12`, `0.5%`).
    public init?(_ text: String) {
        if text.hasSuffix("%") {
            guard let value = ExactDecimal(text.dropLast()), !value.isNegative,
                  value <= ExactDecimal(100) else { return nil }
            self = .percent(value)
        } else {
            guard let value = Int(text), value >= 0 else { return nil }
            self = .count(value)
        }
    }

    /// Whether `rejected` rows out of `read` exceed the budget.
    public func isExceeded(rejected: Int, read: Int) -> Bool {
        switch self {
        case .count(let limit):
            return rejected > limit
        case .percent(let percent):
            // rejected / read > percent / 100  ⇔  rejected × 100 > percent × read, in exact decimals.
            let lhs = ExactDecimal(Int64(rejected) * 100)
            guard let rhs = percent.multiplying(ExactDecimal(Int64(read))) else { return true }
            return lhs > rhs
        }
    }

    public var description: String {
        switch self {
        case .count(let n): "\(n)"
        case .percent(let p): "\(p)%"
        }
    }
}

/// Writes rejects as RFC 4180 CSV: `file,line,field,reason,raw`.
public struct RejectsWriter {
    public static let header = "file,line,field,reason,raw"

    /// The whole rejects file as text.
    public static func csv(_ rejects: [Reject]) -> String {
        var out = header + "\n"
        for reject in rejects {
            out += [reject.file, String(reject.line), reject.field, reject.reason, reject.raw]
                .map(CSVWriter.quoteIfNeeded).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Writes `rejects.csv` (or any path) atomically enough for a batch run: write then rename.
    public static func write(_ rejects: [Reject], to path: String) throws {
        try FileOutput.write(csv(rejects), to: path)
    }
}

/// Small file output helpers (no Foundation).
enum FileOutput {
    static func write(_ text: String, to path: String) throws {
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot create: \(String(cString: strerror(errno)))") }
        var copy = text
        let ok = copy.withUTF8 { bytes -> Bool in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 { if errno == EINTR { continue }; return false }
                offset += written
            }
            return true
        }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            throw InputError(file: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
    }
}
