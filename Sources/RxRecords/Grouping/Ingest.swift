#if canImport(Glibc)
import Glibc
#endif
import RxValues

/// One load in progress: decodes rows, routes each accepted record to memory or a spill partition,
/// and keeps the counts and rejects.
final class Ingest {
    var report = LoadReport()
    var spill: SpillWriter?
    /// The code table carried from one partition to the next, so code ids match a load without spill.
    var partitionCodes: CodeTable?
    var buffers = RecordBuffers()
    /// Whether pharmacy and prescriber ids are interned and prescription numbers kept (see
    /// `RecordBuffers.internsIdentifiers`).
    var internsIdentifiers = true {
        didSet { buffers.internsIdentifiers = internsIdentifiers }
    }
    /// Threads for one large canonical pharmacy claims file (1 or 2; see `readSplit`).
    var workers = 2
    /// Files smaller than this are read by one thread.
    var minimumSplitBytes = 32 << 20
    /// Where to look for the split (the first line feed at or after it); nil = the middle. For tests.
    var splitHint: Int?
    /// Bytes per row assumed for the first half of a split file; nil = measured (see `readSplit`). For tests.
    var splitRowBytesEstimate: Int?
    /// Rows of room beyond the estimate for the first half of a split file (see `readSplit`).
    var splitSlackRows = 1024
    /// Files whose two halves were read in parallel and merged (a fallback does not count).
    var splitsMerged = 0
    /// Medical claims files read by a worker thread meanwhile and adopted (see `read(_ sources:)`).
    var overlapsAdopted = 0
    private var summaryIndex: [Int: Int] = [:]
    /// Raw text of reversal rows by (file, line), kept to report orphans.
    var reversalRows = ReversalRows()
    private let builders: [CanonicalRowBuilder] = RecordKind.allCases.map { CanonicalRowBuilder(fieldCount: $0.fields.count) }

    init() {}

    func takeBuffers() -> RecordBuffers {
        let taken = buffers
        buffers = RecordBuffers(internsIdentifiers: internsIdentifiers)
        return taken
    }

    func resetBuffers() { buffers = RecordBuffers(codes: partitionCodes ?? CodeTable(), internsIdentifiers: internsIdentifiers) }

    func fileIndex(_ name: String) -> UInt16 {
        if let index = report.files.firstIndex(of: name) { return UInt16(index) }
        report.files.append(name)
        return UInt16(report.files.count - 1)
    }

    func summary(_ file: UInt16, _ kind: RecordKind) -> Int {
        let key = Int(file) * 8 + kind.rawValue
        if let index = summaryIndex[key] { return index }
        report.summaries.append(ReadSummary(file: report.files[Int(file)], kind: kind))
        summaryIndex[key] = report.summaries.count - 1
        return report.summaries.count - 1
    }

    private func reject(_ summary: Int, line: Int, field: String, reason: String, raw: String) {
        // Spilled partitions hold only rows that were already accepted: they have no summary.
        guard summary >= 0 else { return }
        report.summaries[summary].rejected += 1
        report.rejects.append(Reject(file: report.summaries[summary].file, line: line, field: field, reason: reason, raw: raw))
    }

    /// Counts cancelled pairs and turns orphan reversals into rejects.
    func apply(_ outcome: GroupingOutcome) {
        for (file, count) in outcome.cancelledByFile.sorted(by: { $0.key < $1.key }) {
            let index = summary(file, .pharmacyClaims)
            report.summaries[index].accepted -= count
            report.summaries[index].cancelled += count
        }
        for orphan in outcome.orphans {
            let index = summary(orphan.file, .pharmacyClaims)
            report.summaries[index].accepted -= 1
            let raw = reversalRows.raw(file: orphan.file, line: Int(orphan.line)) ?? ""
            reject(index, line: Int(orphan.line), field: "status",
                   reason: "orphan reversal: no paid claim '\(orphan.claimID)' for this member", raw: raw)
        }
    }

    // MARK: decoding one canonical row

    /// Decodes and routes one row. `counted` is false in the partition pass (already counted).
    private func ingest(_ kind: RecordKind, _ row: FieldRow, file: UInt16, summary: Int, mergeMembers: Bool = false,
                        origin: (line: Int32, file: UInt16)? = nil) throws {
        do {
            switch kind {
            case .pharmacyClaims:
                var claim = try buffers.decodePharmacy(row, file: file)
                if let origin { claim.line = origin.line; claim.sourceFile = origin.file }
                if claim.status == .reversed, origin == nil {
                    reversalRows.append(file: file, line: Int(claim.line), raw: row.raw)
                }
                if let spill {
                    let formatter = spillFormatter
                    try spill.append(kind, memberID: buffers.memberIDs[claim.member], fields: formatter.fields(claim),
                                     line: claim.line, file: claim.sourceFile)
                    buffers.claimIDBytes.removeSubrange(Int(claim.claimIDOffset)...)
                } else {
                    buffers.fills.append(claim)
                }
            case .medicalClaims:
                var claim = try buffers.decodeMedical(row, file: file)
                if let origin { claim.line = origin.line; claim.sourceFile = origin.file }
                if let spill {
                    try spill.append(kind, memberID: buffers.memberIDs[claim.member], fields: spillFormatter.fields(claim),
                                     line: claim.line, file: claim.sourceFile)
                    buffers.codePool.removeSubrange(Int(claim.diagnosisStart)...)
                } else {
                    buffers.medicalClaims.append(claim)
                }
            case .members:
                if let member = try buffers.decodeMember(row, mergeRepeats: mergeMembers), let spill {
                    try spill.append(kind, memberID: member.memberID, fields: spillFormatter.fields(member),
                                     line: Int32(clamping: row.line), file: file)
                }
            case .enrollment:
                var span = try buffers.decodeEnrollment(row, file: file)
                if let origin { span.line = origin.line }
                if let spill {
                    try spill.append(kind, memberID: buffers.memberIDs[span.member], fields: spillFormatter.fields(span),
                                     line: span.line, file: file)
                } else {
                    buffers.enrollments.append(span)
                }
            case .observations:
                var observation = try buffers.decodeObservation(row, file: file)
                if let origin { observation.line = origin.line; observation.sourceFile = origin.file }
                if let spill {
                    try spill.append(kind, memberID: buffers.memberIDs[observation.member],
                                     fields: spillFormatter.fields(observation), line: observation.line, file: observation.sourceFile)
                } else {
                    buffers.observations.append(observation)
                }
            }
            if origin == nil { report.summaries[summary].accepted += 1 }
        } catch let problem as FieldProblem {
            reject(summary, line: row.line, field: problem.field, reason: problem.reason, raw: row.rawText)
        }
    }

    /// Formats records while spilling: member ids and codes from the pass-one tables.
    private var spillFormatter: RecordFormatter {
        RecordFormatter(memberID: { [unowned self] in buffers.memberIDs[$0] }, code: { [unowned self] in buffers.codes[$0] },
                        pool: { [unowned self] in Array(buffers.codePool[$0]) },
                        claimID: { [unowned self] in String(decoding: buffers.claimIDBytes[$0.claimIDRange], as: UTF8.self) },
                        rxNumber: { [unowned self] in String(decoding: buffers.claimIDBytes[$0.rxNumberRange], as: UTF8.self) })
    }

    // MARK: files

    func read(_ source: SourceFile) throws {
        reserve(for: source)
        if try readSplit(source) { return }
        try read(source, input: ChunkedInput(path: source.path, name: source.name))
    }

    /// Reserves record capacity from the file size so arrays never double (and copy) while loading.
    /// Over-reserving costs address space only: pages never written are not resident.
    func reserve(for source: SourceFile, bytes: Int? = nil) {
        guard spill == nil, let kind = source.kind else { return }
        var info = stat()
        guard bytes != nil || stat(source.path, &info) == 0 else { return }
        let size = bytes ?? Int(info.st_size)
        let rows = size / 40
        switch kind {
        case .pharmacyClaims:
            buffers.fills.reserveCapacity(buffers.fills.count + rows)
            buffers.claimIDBytes.reserveCapacity(buffers.claimIDBytes.count + size / 3)
        case .medicalClaims: buffers.medicalClaims.reserveCapacity(buffers.medicalClaims.count + rows)
        case .observations: buffers.observations.reserveCapacity(buffers.observations.count + rows)
        case .enrollment: buffers.enrollments.reserveCapacity(buffers.enrollments.count + rows)
        case .members: break
        }
    }

    func read(_ source: SourceFile, input: ChunkedInput) throws {
        // Records keep their file as a 16-bit index.
        guard report.files.count < Int(UInt16.max) else {
            throw InputError(file: source.name, message: "more than \(UInt16.max) input files in one load")
        }
        let file = fileIndex(source.name)
        switch source.layout {
        case .canonicalCSV, .mappedCSV:
            guard let kind = source.kind else { return }
            try readCSV(source, kind: kind, input: input, file: file)
        case .canonicalNDJSON, .fhirNDJSON:
            try readNDJSON(source, input: input, file: file)
        }
    }

    private func validUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Reads CSV rows. A worker reading the second half of a split file passes the file's `header`
    /// (its input starts after it). With `stopAt`, reading stops when the next row starts exactly at
    /// that file offset and returns that row's physical line; nil when the file was read to its end.
    /// With `fillSink`, accepted pharmacy claims are written there until it is full, the rest
    /// appended to `buffers.fills` as usual.
    @discardableResult
    func readCSV(_ source: SourceFile, kind: RecordKind, input: ChunkedInput, file: UInt16,
                 partition: Bool = false, header givenHeader: [String]? = nil, stopAt: Int? = nil,
                 fillSink: FillSink? = nil) throws -> Int? {
        let scanner = CSVScanner(input: input, skipsBOM: givenHeader == nil)
        let summaryIndex = partition ? -1 : summary(file, kind)
        let header: [String]
        if let givenHeader {
            header = givenHeader
        } else {
            switch try scanner.next() {
            case .end: return nil
            case .unterminated(let line, let raw):
                if !partition { report.summaries[summaryIndex].read += 1 }
                reject(summaryIndex, line: line, field: "", reason: "unterminated quoted field in the header", raw: raw)
                return nil
            case .row:
                let row = scanner.row
                header = CSVScanner.strings(row)
            }
        }
        // Canonical: slots straight into the CSV row. Mapped: rules rebuild the row in canonical order.
        var rules: CompiledRules?
        var mergeMembers = false
        var slots = [Int](repeating: header.count, count: kind.fields.count)
        switch source.layout {
        case .mappedCSV(let fieldRules, let keep, let merge):
            rules = try CompiledRules(kind: kind, rules: fieldRules, header: header, keep: keep, file: source.name)
            mergeMembers = merge
        default:
            // A missing column reads the empty field set after each row's last (see `FieldRow`).
            for (index, name) in kind.fields.enumerated() { slots[index] = header.firstIndex(of: name) ?? header.count }
            for name in kind.requiredFields where !header.contains(name) {
                throw InputError(file: source.name, message: "missing required column '\(name)'")
            }
        }
        let lineColumn = partition ? header.firstIndex(of: "_line") : nil
        let fileColumn = partition ? header.firstIndex(of: "_file") : nil
        let builder = builders[kind.rawValue]
        let columnCount = header.count
        scanner.reserveFields(columnCount + 1)
        var limit = stopAt
        var stoppedLine: Int?
        // Canonical pharmacy claims in memory (the hot path): decode into a local copy of the buffers
        // and count in locals, so the loop does not pay an exclusivity check per access to this class.
        // Likewise medical claims (read on a worker thread alongside the pharmacy file) and members.
        let fast = [.pharmacyClaims, .medicalClaims, .members].contains(kind) && spill == nil && !partition && rules == nil
        var local = fast ? takeBuffers() : RecordBuffers(internsIdentifiers: internsIdentifiers)
        var readCount = 0, acceptedCount = 0
        // The sink in locals: its count is written back once.
        let sinkBase = fillSink?.base
        let sinkCapacity = fast ? fillSink?.capacity ?? 0 : 0
        var sinkCount = fillSink?.count ?? 0
        defer {
            fillSink?.count = sinkCount
            if fast { buffers = local }
            if !partition {
                report.summaries[summaryIndex].read += readCount
                report.summaries[summaryIndex].accepted += acceptedCount
            }
        }
        try slots.withUnsafeBufferPointer { slotBuffer in
            while true {
                if let boundary = limit {
                    let offset = scanner.offset
                    if offset == boundary { stoppedLine = scanner.nextLine; return }
                    // A row ran across the boundary (it was inside a quoted field): read on to the end.
                    if offset > boundary { limit = nil }
                }
                let result = try scanner.next()
                let row: CSVRow
                switch result {
                case .end: return
                case .unterminated(let line, let raw):
                    readCount += 1
                    reject(summaryIndex, line: line, field: "",
                           reason: "unterminated quoted field: the rest of the file is one broken record", raw: raw)
                    return
                case .row: row = scanner.row
                }
                if row.fieldCount == 1 && row.raw.isEmpty { continue }  // a blank line is not a record
                readCount += 1
                if row.malformedQuote {
                    reject(summaryIndex, line: row.line, field: "", reason: "stray quote: a quote inside an unquoted field or text after a closing quote", raw: row.rawText)
                    continue
                }
                if row.fieldCount != columnCount {
                    reject(summaryIndex, line: row.line, field: "",
                           reason: "wrong column count: \(row.fieldCount) fields, the header has \(columnCount)", raw: row.rawText)
                    continue
                }
                if row.hasHighBytes, !validUTF8(row.raw) {
                    reject(summaryIndex, line: row.line, field: "", reason: "invalid UTF-8",
                           raw: String(decoding: row.raw, as: UTF8.self))
                    continue
                }
                row.fields[columnCount] = UnsafeBufferPointer(start: nil, count: 0)
                let fields = UnsafeBufferPointer(rebasing: row.fields[0...columnCount])
                var origin: (Int32, UInt16)?
                if let lineColumn, let fileColumn {
                    origin = (Int32(String(decoding: row.field(lineColumn), as: UTF8.self)) ?? 0,
                              UInt16(String(decoding: row.field(fileColumn), as: UTF8.self)) ?? 0)
                }
                if let rules {
                    if !rules.keeps({ row.field($0) }) {
                        report.summaries[summaryIndex].skipped += 1
                        continue
                    }
                    rules.apply({ row.field($0) }, into: builder)
                    try ingest(kind, builder.row(line: row.line, raw: row.raw), file: file, summary: summaryIndex,
                               mergeMembers: mergeMembers)
                } else if fast {
                    let fieldRow = FieldRow(fields: fields, slots: slotBuffer, line: row.line, raw: row.raw)
                    do throws(FieldProblem) {
                        switch kind {
                        case .pharmacyClaims:
                            let claim = try local.decodePharmacy(fieldRow, file: file)
                            if claim.status == .reversed { reversalRows.append(file: file, line: Int(claim.line), raw: fieldRow.raw) }
                            if sinkCount < sinkCapacity, let sinkBase {
                                (sinkBase + sinkCount).initialize(to: claim)
                                sinkCount += 1
                            } else {
                                local.fills.append(claim)
                            }
                        case .medicalClaims: local.medicalClaims.append(try local.decodeMedical(fieldRow, file: file))
                        default: _ = try local.decodeMember(fieldRow, mergeRepeats: false)
                        }
                        acceptedCount += 1
                    } catch {
                        reject(summaryIndex, line: row.line, field: error.field, reason: error.reason, raw: fieldRow.rawText)
                    }
                } else {
                    try ingest(kind, FieldRow(fields: fields, slots: slotBuffer, line: row.line, raw: row.raw),
                               file: file, summary: summaryIndex, origin: origin)
                }
            }
        }
        return stoppedLine
    }

    func readPartition(path: String, kind: RecordKind) throws {
        let name = "spill"
        let source = SourceFile(path: path, name: name, kind: kind, layout: .canonicalCSV)
        try readCSV(source, kind: kind, input: ChunkedInput(path: path, name: name), file: 0, partition: true)
    }

    private func readNDJSON(_ source: SourceFile, input: ChunkedInput, file: UInt16) throws {
        var position = 0
        var line = 0
        while true {
            // Find the end of the next line, reading more as needed.
            var newline = -1
            var scanFrom = position
            while true {
                let base = input.buffer.baseAddress!
                var index = scanFrom
                while index < input.end, base[index] != 10 { index += 1 }
                if index < input.end { newline = index; break }
                if input.atEOF || input.isAtRecordLimit { break }
                let (moved, _) = try input.refill(keepingFrom: position)
                position -= moved
                scanFrom = index - moved
            }
            if position >= input.end && newline < 0 { return }
            line += 1
            if newline < 0 && !input.atEOF {
                // A line longer than the record limit: reject it and stop the file (memory stays bounded).
                let kind = source.kind ?? .pharmacyClaims
                let index = summary(file, kind)
                report.summaries[index].read += 1
                let head = UnsafeBufferPointer(rebasing: input.buffer[position..<min(input.end, position + 4096)])
                reject(index, line: line, field: "", reason: "line longer than \(input.maxRecordBytes) bytes: the file stops here",
                       raw: String(decoding: head, as: UTF8.self))
                return
            }
            let lineEnd = newline >= 0 ? newline : input.end
            var contentEnd = lineEnd
            if contentEnd > position, input.buffer[contentEnd - 1] == 13 { contentEnd -= 1 }
            let bytes = UnsafeBufferPointer(rebasing: input.buffer[position..<contentEnd])
            position = newline >= 0 ? newline + 1 : input.end
            if bytes.allSatisfy({ $0 == 32 || $0 == 9 }) { if newline < 0 { return } else { continue } }
            try ndjsonRecord(source, bytes: bytes, line: line, file: file)
            if newline < 0 && input.atEOF { return }
        }
    }

    private func ndjsonRecord(_ source: SourceFile, bytes: UnsafeBufferPointer<UInt8>, line: Int, file: UInt16) throws {
        let raw = String(decoding: bytes, as: UTF8.self)
        func fail(_ kind: RecordKind, _ field: String, _ reason: String) {
            let index = summary(file, kind)
            report.summaries[index].read += 1
            reject(index, line: line, field: field, reason: reason, raw: raw)
        }
        let fallbackKind = source.kind ?? .pharmacyClaims
        guard validUTF8(bytes) else { return fail(fallbackKind, "", "invalid UTF-8") }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { return fail(fallbackKind, "", "bad JSON: \(error)") }
        guard case .object(let members) = value else { return fail(fallbackKind, "", "a line must hold one JSON object") }
        let kind: RecordKind
        var texts: [String: String] = [:]
        if let fixed = source.kind {
            kind = fixed
            for (key, member) in members where kind.fields.contains(key) {
                switch member {
                case .string(let s): texts[key] = s
                case .number(let n): texts[key] = n
                case .null: continue
                case .bool, .array, .object: return fail(kind, key, "'\(key)' must be a string or a number")
                }
            }
        } else {
            switch FHIR.map(value) {
            case .record(let mapped, let fields):
                kind = mapped
                texts = fields
            case .reject(let mapped, let field, let reason):
                return fail(mapped, field, reason)
            case .unsupported(let type):
                return fail(fallbackKind, "resourceType", "resource type '\(type)' is not read by the fhir map")
            }
        }
        let index = summary(file, kind)
        report.summaries[index].read += 1
        let builder = builders[kind.rawValue]
        builder.reset()
        for (position, name) in kind.fields.enumerated() {
            if let text = texts[name], !text.isEmpty { builder.set(position, text) }
        }
        try ingest(kind, builder.row(line: line, raw: bytes), file: file, summary: index)
    }
}
