import Foundation
import RxValues

/// What a load read, accepted, rejected and cancelled, per file.
public struct LoadReport: Sendable {
    /// One summary per (file, record kind) pair, in reading order.
    public var summaries: [ReadSummary] = []
    /// Every rejected row, in reading order (orphan reversals last).
    public var rejects: [Reject] = []
    /// Source file names by index (`PharmacyClaim.sourceFile` etc.).
    public var files: [String] = []
    public var rejectBudget: RejectBudget = .none
    /// Number of member-hash partitions used; 1 when everything fit in memory.
    public var partitions = 1
    /// Files left unread because no loaded pack reads their kind of record (listed, not counted as read).
    public var unusedFiles: [(file: String, kind: RecordKind)] = []

    public var totalRead: Int { summaries.reduce(0) { $0 + $1.read } }
    public var totalRejected: Int { summaries.reduce(0) { $0 + $1.rejected } }
    /// Whether the rejects exceed the budget (the caller decides the exit code).
    public var isOverBudget: Bool { rejectBudget.isExceeded(rejected: totalRejected, read: totalRead) }
}

/// Reads an input directory through a column map into records grouped by member.
public enum RecordLoader {
    /// Loads everything into one record set in memory.
    public static func load(directory: String, map: ColumnMap = .canonical,
                            rejectBudget: RejectBudget = .none) throws -> (records: RecordSet, report: LoadReport) {
        var result: RecordSet?
        let report = try load(directory: directory, map: map, memoryBudget: nil, rejectBudget: rejectBudget) { result = $0 }
        return (result ?? RecordSet.empty, report)
    }

    /// Loads the directory and calls `body` once per group of members: once with everything when it
    /// fits `memoryBudget` bytes (or no budget is given), else once per member-hash partition spilled to
    /// temporary files (removed before returning). Members are in member_id order within a call;
    /// partitions come in partition order, so the whole sequence is deterministic.
    ///
    /// With `pharmacyIdentifiers` false, pharmacy claims' `pharmacy_id` and `prescriber_id` are not
    /// interned, their `rx_number` is not kept, and all three read as absent (for readers that never
    /// look at them).
    /// With `kinds`, files holding only other kinds of record are not read: they are listed in
    /// `LoadReport.unusedFiles` instead (FHIR files, which mix kinds, are always read).
    /// With `bodyKeepsNoCopy` (the body keeps no copy of the set it is given), the set's memory is
    /// given back on all cores at once after the body returns.
    public static func load(directory: String, map: ColumnMap = .canonical, memoryBudget: Int?,
                            rejectBudget: RejectBudget = .none, temporaryDirectory: String? = nil,
                            kinds: Set<RecordKind>? = nil, pharmacyIdentifiers: Bool = true,
                            bodyKeepsNoCopy: Bool = false,
                            _ body: (RecordSet) throws -> Void) throws -> LoadReport {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        var sources = try map.sources(in: directory, names: names)
        var unused: [(file: String, kind: RecordKind)] = []
        if let kinds {
            for source in sources {
                if let kind = source.kind, !kinds.contains(kind) { unused.append((source.name, kind)) }
            }
            sources.removeAll { $0.kind.map { !kinds.contains($0) } ?? false }
        }
        var inputBytes = 0
        for source in sources {
            let size = (try? FileManager.default.attributesOfItem(atPath: source.path)[.size] as? Int) ?? 0
            inputBytes += size
        }
        // Resident bytes estimated as 1.5× the input bytes: conservative (measured about 0.95× for the
        // canonical pharmacy claims file: 98 B resident per 103-byte row).
        let estimate = inputBytes / 2 * 3
        var partitions = 1
        if let memoryBudget, estimate > memoryBudget {
            partitions = min(256, max(2, (estimate + max(memoryBudget, 1) - 1) / max(memoryBudget, 1) * 2))
        }
        let ingest = Ingest()
        ingest.internsIdentifiers = pharmacyIdentifiers
        ingest.report.rejectBudget = rejectBudget
        ingest.report.partitions = partitions
        ingest.report.unusedFiles = unused

        if partitions == 1 {
            try ingest.read(sources)
            var (set, outcome) = RecordSet.group(ingest.takeBuffers())
            ingest.apply(outcome)
            try body(set)
            if bodyKeepsNoCopy { RecordSet.release(&set) }
            return ingest.report
        }

        let base = temporaryDirectory ?? FileManager.default.temporaryDirectory.path
        let spillDirectory = base + "/rxrecords-spill-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: spillDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: spillDirectory) }
        let spill = try SpillWriter(directory: spillDirectory, partitions: partitions)
        ingest.spill = spill
        try ingest.read(sources)
        try spill.flushAll()
        let codes = ingest.takeBuffers().codes
        ingest.partitionCodes = codes
        for partition in 0..<partitions {
            ingest.resetBuffers()
            ingest.spill = nil
            for kind in RecordKind.allCases {
                let path = spill.path(partition: partition, kind: kind)
                guard FileManager.default.fileExists(atPath: path) else { continue }
                try ingest.readPartition(path: path, kind: kind)
            }
            let (set, outcome) = RecordSet.group(ingest.takeBuffers())
            ingest.partitionCodes = set.codes
            ingest.apply(outcome)
            try body(set)
        }
        return ingest.report
    }
}

extension RecordSet {
    static var empty: RecordSet {
        RecordSet(codes: CodeTable(), memberIDs: [], members: [], enrollments: [], fills: [], medicalClaims: [],
                  observations: [], codePool: [], claimIDBytes: [], enrollmentStarts: [0], fillStarts: [0], medicalStarts: [0],
                  observationStarts: [0])
    }

    /// Groups records decoded from in-memory canonical CSV texts (tests, small inputs).
    public static func fromCanonicalCSV(_ files: [RecordKind: String]) throws -> (records: RecordSet, report: LoadReport) {
        try fromCanonicalCSV(bytes: files.mapValues { Array($0.utf8) })
    }

    /// Groups records decoded from in-memory canonical CSV bytes (which may hold invalid UTF-8).
    public static func fromCanonicalCSV(bytes files: [RecordKind: [UInt8]]) throws -> (records: RecordSet, report: LoadReport) {
        let ingest = Ingest()
        for kind in RecordKind.allCases {
            guard let bytes = files[kind] else { continue }
            let source = SourceFile(path: "", name: kind.fileStem + ".csv", kind: kind, layout: .canonicalCSV)
            try ingest.read(source, input: ChunkedInput(bytes: bytes, name: source.name))
        }
        let (set, outcome) = RecordSet.group(ingest.takeBuffers())
        ingest.apply(outcome)
        return (set, ingest.report)
    }
}

extension RecordKind {
    /// Fields a file of this kind must have as columns.
    var requiredFields: ArraySlice<String> {
        switch self {
        case .members: fields[0..<3]
        case .enrollment: fields[0..<4]
        case .pharmacyClaims: fields[0..<7]
        case .medicalClaims: fields[0..<5]
        case .observations: fields[0..<4]
        }
    }
}

/// Writes accepted records as canonical CSV (plus `_line`, `_file`) into member-hash partitions.
final class SpillWriter {
    let directory: String
    let partitions: Int
    private var pending: [[String]]
    private var pendingBytes = 0

    init(directory: String, partitions: Int) throws {
        self.directory = directory
        self.partitions = partitions
        pending = Array(repeating: Array(repeating: "", count: RecordKind.allCases.count), count: partitions)
        for partition in 0..<partitions {
            for kind in RecordKind.allCases {
                pending[partition][kind.rawValue] = CSVWriter.line(kind.fields + ["_line", "_file"])
            }
        }
    }

    func path(partition: Int, kind: RecordKind) -> String { "\(directory)/p\(partition)-\(kind.fileStem).csv" }

    /// The partition of a member id: a stable FNV-1a hash, the same on every run and machine.
    static func partition(of memberID: String, count: Int) -> Int {
        var copy = memberID
        return copy.withUTF8 { Int(CodeTable.hash($0) % UInt32(count)) }
    }

    func append(_ kind: RecordKind, memberID: String, fields: [String], line: Int32, file: UInt16) throws {
        let partition = SpillWriter.partition(of: memberID, count: partitions)
        let text = CSVWriter.line(fields + [String(line), String(file)])
        pending[partition][kind.rawValue] += text
        pendingBytes += text.utf8.count
        if pendingBytes > 1 << 24 { try flushAll() }
    }

    func flushAll() throws {
        for partition in 0..<partitions {
            for kind in RecordKind.allCases where !pending[partition][kind.rawValue].isEmpty {
                let path = path(partition: partition, kind: kind)
                if !FileManager.default.fileExists(atPath: path) {
                    _ = FileManager.default.createFile(atPath: path, contents: nil)
                }
                guard let handle = FileHandle(forWritingAtPath: path) else {
                    throw InputError(file: path, message: "cannot write spill file")
                }
                try handle.seekToEnd()
                try handle.write(contentsOf: Data(pending[partition][kind.rawValue].utf8))
                try handle.close()
                pending[partition][kind.rawValue] = ""
            }
        }
        pendingBytes = 0
    }
}
