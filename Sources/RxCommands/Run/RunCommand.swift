import ArgumentParser
import Foundation
import RxEngine
import RxLanguage
import RxPacks
import RxRecords
import RxValues

/// `rxrules run`: evaluates packs over a data folder and writes one CSV per output.
public struct RunCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Evaluate rule packs over claim records and write one CSV per measure, contract and claim rule.",
        discussion: """
            Reads the data folder through a column map, groups the records by member, evaluates every \
            measure, contract and claim rule of every pack for every member, and writes:
              OUT/<output>.csv   one per measure, contract and claim rule, sorted by member_id (then claim_id),
                                 each row stamped with the pack name, version and content hash
              OUT/rejects.csv    every input row that broke the data contract, with file, line and reason
              OUT/summary.json   per file read/accepted/rejected/cancelled; per output rows and why members
                                 have none; packs, parameters, timings
            Files appear complete or not at all. Results are identical for any --threads.

            Examples:
              rxrules run --pack rules/pqa-adherence --data examples/data --out out
              rxrules run --pack rules/pqa-adherence --data extract/ --map synpuf --out out --param stay_adjustment=false
              rxrules run --pack libPqaAdherence.so --data claims/ --out out --valueset statins=ndc/statins.csv \\
                --require-hash pqa-adherence=sha256:... --max-rejects 0.1%

            Exit status: 0 success; 1 a pack was refused or has errors, or rejected rows exceed --max-rejects \
            (everything is still written); 2 the command line is wrong.
            """
    )

    @OptionGroup public var inputs: PackInputOptions

    @Option(help: ArgumentHelp("The folder for the results (created if needed).", valueName: "folder"))
    public var out: String

    var packs: [String] { inputs.packs }
    var data: String { inputs.data }
    var map: String { inputs.map }
    var parameters: [String] { inputs.parameters }
    var valueSets: [String] { inputs.valueSets }

    @Option(help: "Worker threads (default: all cores). Results do not depend on it.")
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("max-rejects"), help: ArgumentHelp(
        "Rejected input rows allowed before the run fails: a count or a share like 0.5%.", valueName: "N|N%"))
    public var maxRejects: String = "0"

    @Option(help: ArgumentHelp(
        "Memory for records, e.g. 8G; above it records are spilled to disk by member hash.", valueName: "bytes"))
    public var memory: String?

    @Option(name: .customLong("require-hash"), help: ArgumentHelp(
        "Refuse a pack whose content hash is not this approved one (repeatable).", valueName: "name=sha256:hex"))
    public var requiredHashes: [String] = []

    @Option(help: "Fraction digits of Decimal values in the results (exact values are rounded half-even).")
    public var decimals: Int = 4

    public init() {}

    public func validate() throws {
        guard !packs.isEmpty else { throw ValidationError("give at least one --pack") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard (0...18).contains(decimals) else { throw ValidationError("--decimals must be from 0 to 18") }
        guard RejectBudget(maxRejects) != nil else {
            throw ValidationError("--max-rejects takes a count or a percentage, found '\(maxRejects)'")
        }
        if let memory, RunCommand.bytes(memory) == nil {
            throw ValidationError("--memory takes bytes with an optional K, M or G suffix, found '\(memory)'")
        }
        for parameter in parameters where ParameterOverride(argument: parameter) == nil {
            throw ValidationError("--param needs name=value, found '\(parameter)'")
        }
        for valueSet in valueSets where !valueSet.contains("=") {
            throw ValidationError("--valueset needs name=file, found '\(valueSet)'")
        }
        for pin in requiredHashes where !pin.contains("=") {
            throw ValidationError("--require-hash needs name=hash, found '\(pin)'")
        }
    }

    static func bytes(_ text: String) -> Int? {
        let multipliers: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = text.last, let multiplier = multipliers[Character(last.uppercased())] {
            return Int(text.dropLast()).map { $0 * multiplier }
        }
        return Int(text)
    }

    public func run() throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let prepared = try RunPreparation.prepare(self)
        let columnMap: ColumnMap
        do {
            columnMap = try ColumnMap.fromArgument(map)
        } catch {
            throw ValidationError("\(error)")
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let budget = RejectBudget(maxRejects) ?? .none
        var tables = prepared.packs.flatMap(\.tables)
        // Without a memory budget everything is one partition in member order, so rows stream to
        // their files chunk by chunk; spilled partitions come in hash order and are sorted at the end.
        let streams = memory == nil ? try ResultStreams(tables: tables, folder: out) : nil
        var members = 0
        var evaluateSeconds = 0.0
        var loadFinished = started
        // Files of a kind no pack reads are listed as unused, not read.
        let kinds = prepared.packs.reduce(into: Set<RxRecords.RecordKind>()) { $0.formUnion(RecordUse.kinds(of: $1.checked)) }
        // Pharmacy and prescriber ids are interned only when a pack can read them.
        let identifiers = prepared.packs.contains { RecordUse.readsPharmacyIdentifiers($0.checked) }
        let report = try RecordLoader.load(
            directory: data, map: columnMap, memoryBudget: memory.flatMap(RunCommand.bytes), rejectBudget: budget,
            kinds: kinds, pharmacyIdentifiers: identifiers, bodyKeepsNoCopy: true
        ) { records in
            loadFinished = DispatchTime.now().uptimeNanoseconds
            let evaluationStart = loadFinished
            // A plan per worker thread: calling a compiled closure retains its context, and on
            // contexts shared between cores those reference counts ping-pong between the caches.
            var workerPlans: [[EnginePlan]] = []
            for _ in 0..<max(1, threads) {
                workerPlans.append(try prepared.packs.map { pack in
                    do {
                        return try EnginePlan(checked: pack.checked, codes: records.codes, natives: pack.natives)
                    } catch let error as EngineError {
                        throw RunFailure("\(pack.loaded.name): \(error.description)")
                    }
                })
            }
            let plansPerWorker = workerPlans
            let evidence = prepared.packs.map(\.needsEvidence)
            let tableCount = tables.count
            let packKinds = prepared.packs.map(\.kinds)
            let progress = ProgressLine(label: "evaluating", total: records.memberCount)
            let formatter = ValueFormatter(decimals: decimals)
            let evaluateChunk: @Sendable (Int, Range<Int>) -> RunChunk = { worker, range in
                var chunk = RunChunk(tableCount: tableCount)
                // One evaluator per pack and chunk: contexts are reused across the chunk's members.
                let plansToRun = plansPerWorker[worker]
                var evaluators = plansToRun.indices.map { plansToRun[$0].evaluator(records: records, evidence: evidence[$0]) }
                // One result per pack, reused member after member (collected before the next).
                var results = plansToRun.map { _ in MemberResult.empty }
                for index in range {
                    var tableIndex = 0
                    for packIndex in evaluators.indices {
                        evaluators[packIndex].evaluate(member: index, into: &results[packIndex])
                        PreparedPack.collect(&results[packIndex], kinds: packKinds[packIndex], member: index, records: records,
                                             formatter: formatter, into: &chunk, firstTable: tableIndex)
                        tableIndex += packKinds[packIndex].count
                    }
                }
                return chunk
            }
            if let streams {
                forEachMemberChunkInOrder(count: records.memberCount, threads: threads, progress: progress.update,
                                          evaluateChunk, deliver: streams.append)
            } else {
                let chunks = forEachMemberChunk(
                    count: records.memberCount, threads: threads, progress: progress.update, evaluateChunk)
                for chunk in chunks {
                    for (index, rows) in chunk.rows.enumerated() { tables[index].rows += rows }
                    tables.mergeCounts(of: chunk)
                }
            }
            progress.finish()
            members += records.memberCount
            evaluateSeconds += Double(DispatchTime.now().uptimeNanoseconds - evaluationStart) / 1e9
        }
        let writeStart = DispatchTime.now().uptimeNanoseconds
        let rowCounts: [Int]
        if let streams {
            let finished = try streams.finish()
            tables = finished.map(\.table)
            rowCounts = finished.map(\.rows)
        } else {
            rowCounts = tables.map(\.rows.count)
            for table in tables {
                try AtomicFile(path: (out as NSString).appendingPathComponent(table.name + ".csv")).write(table.csv())
            }
        }
        try AtomicFile(path: (out as NSString).appendingPathComponent("rejects.csv")).write(RejectsWriter.csv(report.rejects))
        let writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - writeStart) / 1e9
        var summary = RunSummary(
            engine: EngineVersion.current.description,
            packs: prepared.packs.map(\.summary),
            data: data, map: map, report: report, members: members,
            outputs: zip(tables, rowCounts).map { table, rows in
                RunSummary.Output(name: table.name, pack: table.stamp[0], rows: rows, withoutRow: table.outsideCounts,
                                  file: table.name + ".csv", portfolio: table.portfolio)
            },
            threads: threads,
            timings: RunSummary.Timings(
                loadSeconds: Double(loadFinished - started) / 1e9, evaluateSeconds: evaluateSeconds,
                writeSeconds: writeSeconds))
        summary.nativeFailures = prepared.nativeFailures.byPack
        try AtomicFile(path: (out as NSString).appendingPathComponent("summary.json")).write(summary.json())
        printError(RunReport.text(summary: summary, report: report, out: out))
        let nativeFailures = prepared.nativeFailures.byPack
        if !nativeFailures.isEmpty {
            let list = nativeFailures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            printError("error: native functions reported failures (their values are missing): \(list)")
        }
        if report.isOverBudget {
            printError("error: \(report.totalRejected) rejected rows exceed --max-rejects \(maxRejects); see \(out)/rejects.csv")
            throw ExitCode(ExitStatus.failure)
        }
        if !nativeFailures.isEmpty { throw ExitCode(ExitStatus.failure) }
    }
}

/// A run that cannot go on, with the reason for the user.
struct RunFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The packs, data and run-time replacements that `run` and `explain` share.
public struct PackInputOptions: ParsableArguments {
    @Option(name: .customLong("pack"), help: ArgumentHelp("A pack folder or a compiled pack module (repeatable).", valueName: "path"))
    public var packs: [String] = []

    @Option(help: ArgumentHelp("The folder holding the input files.", valueName: "folder"))
    public var data: String

    @Option(help: ArgumentHelp("How the input files are laid out: canonical, synpuf, fhir, or a map file.", valueName: "map"))
    public var map: String = "canonical"

    @Option(name: .customLong("param"), help: ArgumentHelp(
        "Run as if a parameter had this value (repeatable).", valueName: "name=value"))
    public var parameters: [String] = []

    @Option(name: .customLong("valueset"), help: ArgumentHelp(
        "Replace a value set's file with your own, e.g. statins=ndc/statins.csv (repeatable).", valueName: "name=file"))
    public var valueSets: [String] = []

    public init() {}

    /// The same options as command-line arguments (to prepare a run from another command).
    var arguments: [String] {
        var arguments = ["--data", data, "--map", map]
        for pack in packs { arguments += ["--pack", pack] }
        for parameter in parameters { arguments += ["--param", parameter] }
        for valueSet in valueSets { arguments += ["--valueset", valueSet] }
        return arguments
    }
}
