import Foundation
import RxRecords

/// One result file of a run: a measure, a contract or a claim rule of one pack.
struct OutputTable {
    /// `OUT/<name>.csv`.
    var name: String
    /// The leading key columns (`member_id`, or the claim columns of a claim rule).
    var keyColumns: [String]
    /// The value columns, in declaration order.
    var valueColumns: [String]
    /// The pack stamp written at the end of every row: name, version, content hash.
    var stamp: [String]
    /// Rows as formatted fields (keys then values), with their sort key.
    var rows: [OutputRow] = []
    /// Members without a row, by reason (`not included`, or the exclusion's name).
    var outsideCounts: [String: Int] = [:]
    /// For a contract: its portfolio summary.
    var portfolio: ContractPortfolio?

    var header: [String] { keyColumns + valueColumns + ["pack", "pack_version", "pack_hash"] }

    /// The file's bytes: header, then rows sorted by member_id (then claim_id or row number), each stamped.
    func csv() -> [UInt8] {
        Array(CSVWriter.line(header).utf8) + encode(OutputRow.sorted(rows))
    }

    /// Rows as CSV bytes, each stamped, in the order given.
    func encode(_ rows: [OutputRow]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(rows.reduce(0) { $0 + $1.line.count } + rows.count * 96)
        let stampText = Array(stamp.map(CSVWriter.quoteIfNeeded).joined(separator: ",").utf8)
        for row in rows {
            bytes.append(contentsOf: row.line)
            bytes.append(contentsOf: stampText)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}

/// One row of an output table: its sort key and its fields as CSV bytes.
struct OutputRow: Sendable {
    var memberID: String
    /// Empty for member-level outputs.
    var claimID: String
    /// The row's number within the member for a measure with `for each` (from 1), else 0.
    var rowNumber: Int = 0
    /// The key and value fields, each quoted as needed and followed by a comma (the stamp follows).
    var line: [UInt8]

    init(memberID: String, claimID: String, rowNumber: Int = 0, line: [UInt8]) {
        self.memberID = memberID
        self.claimID = claimID
        self.rowNumber = rowNumber
        self.line = line
    }

    init(memberID: String, claimID: String, rowNumber: Int = 0, fields: [String]) {
        var writer = RowWriter()
        for field in fields { writer.field(field) }
        self.init(memberID: memberID, claimID: claimID, rowNumber: rowNumber, line: writer.bytes)
    }

    /// The file order: member_id, then claim_id, then row number.
    static func inOrder(_ a: OutputRow, _ b: OutputRow) -> Bool {
        (a.memberID, a.claimID, a.rowNumber) < (b.memberID, b.claimID, b.rowNumber)
    }

    /// Rows already in file order are kept as they are (members are evaluated in member_id order).
    static func sorted(_ rows: [OutputRow]) -> [OutputRow] {
        zip(rows, rows.dropFirst()).allSatisfy { !inOrder($1, $0) } ? rows : rows.sorted(by: inOrder)
    }
}

/// Builds a row's CSV bytes field by field.
struct RowWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(96) }

    /// A text field, quoted only when it holds `,`, `"`, CR or LF.
    mutating func field(_ text: String) {
        var text = text
        // One copy of the contiguous UTF-8, unless a byte asks for quotes (rare).
        text.withUTF8 { utf8 in
            if utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
                bytes.append(contentsOf: CSVWriter.quoteIfNeeded(String(decoding: utf8, as: UTF8.self)).utf8)
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(UInt8(ascii: ","))
    }

    /// A field that can hold no byte needing quotes (numbers, dates, booleans).
    mutating func plain(_ write: (inout [UInt8]) -> Void) {
        write(&bytes)
        bytes.append(UInt8(ascii: ","))
    }
}

/// `summary.json`: what was read, what came out, and why members are missing from an output.
struct RunSummary: Encodable {
    struct Pack: Encodable {
        var name: String
        var version: String
        /// The hash of the content evaluated (with any --valueset replacements).
        var hash: String
        /// The hash of the pack as loaded, before replacements.
        var originalHash: String
        var origin: String
        var parameters: [String: String]
        var valueSetOverrides: [String: String]
    }

    struct File: Encodable {
        var file: String
        var kind: String
        var read: Int
        var accepted: Int
        var rejected: Int
        var cancelled: Int
        var skipped: Int
        /// read = accepted + rejected + cancelled + skipped, always.
        var balanced: Bool
    }

    /// A file left unread because no loaded pack reads its kind of record.
    struct UnusedFile: Encodable {
        var file: String
        var kind: String
    }

    struct Output: Encodable {
        var name: String
        var pack: String
        var rows: Int
        /// Members (or claims) without a row, by reason.
        var withoutRow: [String: Int]
        var file: String
        /// Contracts only: eligible, gated, with event, paid, total payout.
        var portfolio: ContractPortfolio?
    }

    struct Timings: Encodable {
        var loadSeconds: Double
        var evaluateSeconds: Double
        var writeSeconds: Double
    }

    var engine: String
    var packs: [Pack]
    var data: String
    var map: String
    var files: [File]
    var unusedFiles: [UnusedFile]
    var members: Int
    /// Member-hash partitions the records were spilled to (1: everything in memory).
    var partitions: Int
    var rejects: Int
    var rejectBudget: String
    var overBudget: Bool
    var outputs: [Output]
    /// Native-function calls that reported a failure (their values are missing), by pack.
    var nativeFailures: [String: Int] = [:]
    var threads: Int
    var timings: Timings

    init(
        engine: String, packs: [Pack], data: String, map: String, report: LoadReport, members: Int,
        outputs: [Output], threads: Int, timings: Timings
    ) {
        self.engine = engine
        self.packs = packs
        self.data = data
        self.map = map
        files = report.summaries.map {
            File(file: $0.file, kind: $0.kind.fileStem, read: $0.read, accepted: $0.accepted, rejected: $0.rejected,
                 cancelled: $0.cancelled, skipped: $0.skipped, balanced: $0.isBalanced)
        }
        unusedFiles = report.unusedFiles.map { UnusedFile(file: $0.file, kind: $0.kind.fileStem) }
        self.members = members
        partitions = report.partitions
        rejects = report.totalRejected
        rejectBudget = report.rejectBudget.description
        overBudget = report.isOverBudget
        self.outputs = outputs
        self.threads = threads
        self.timings = timings
    }

    func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var bytes = Array(try encoder.encode(self))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}

extension ColumnMap {
    /// `canonical`, `synpuf`, `fhir`, or the path of a map file (docs/data.md).
    static func fromArgument(_ argument: String) throws -> ColumnMap {
        if let named = ColumnMap(name: argument) { return named }
        guard let data = FileManager.default.contents(atPath: argument) else {
            throw ColumnMapArgumentError(message: "--map: '\(argument)' is not canonical, synpuf or fhir, and no such map file")
        }
        do {
            return .user(try UserMap.parse(String(decoding: data, as: UTF8.self)))
        } catch {
            throw ColumnMapArgumentError(message: "--map \(argument):\(error.line): \(error.message)")
        }
    }
}

struct ColumnMapArgumentError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
