import ArgumentParser
import Foundation
import RxEngine
import RxLanguage
import RxPacks
import RxRecords
import RxValues
import Synchronization

/// One pack ready to run: loaded, value sets replaced, checked with the overrides, natives bound.
struct PreparedPack: Sendable {
    var loaded: LoadedPack
    var checked: PackCheckResult
    var natives: [String: NativeImplementation]
    /// The pack's output tables in declaration order: measures, contracts, claim rules.
    var tables: [OutputTable]
    var kinds: [TableKind]
    var summary: RunSummary.Pack
    /// Contract rows list the claims behind the payout, so their evaluation tracks evidence.
    var needsEvidence: Bool { kinds.contains { if case .contract = $0 { true } else { false } } }

    enum TableKind: Sendable {
        /// `rows`: a measure with `for each` writes one row per element, numbered from 1.
        case measure(values: [String], rows: Bool)
        /// Event outputs become a date and a claim id column.
        case contract(outputs: [String], events: Set<String>)
        case claimRule
        /// Every claim rule of the pack at once: one row per claim any rule selected.
        case claimDecisions
    }

    /// Adds one member's results to a chunk, starting at table `firstTable` of the whole run.
    /// Static over the tables' kinds: the per-member path copies no pack. The result is only read;
    /// it is passed `inout` so that it is read in place in the caller's array, not copied.
    static func collect(
        _ result: inout MemberResult, kinds: [TableKind], member: Int, records: RecordSet,
        formatter: ValueFormatter, into chunk: inout RunChunk, firstTable: Int
    ) {
        let memberID = result.memberID
        var measureIndex = 0, contractIndex = 0, ruleIndex = 0
        // Kinds and outcomes are read in place: copying them retains the arrays they hold.
        for offset in kinds.indices {
            let table = firstTable + offset
            switch kinds[offset] {
            case .measure:
                guard measureIndex < result.measures.count else { continue }
                let position = measureIndex
                measureIndex += 1
                switch result.measures[position].status {
                case .notIncluded: chunk.notIncluded[table] += 1
                case .excluded(let reason): chunk.outside[table]["excluded: \(reason)", default: 0] += 1
                case .included:
                    guard let rows = result.measures[position].rows else {
                        var writer = RowWriter()
                        writer.field(memberID)
                        for index in result.measures[position].values.indices {
                            formatter.write(result.measures[position].values[index].value, records: records, into: &writer)
                        }
                        chunk.rows[table].append(OutputRow(memberID: memberID, claimID: "", line: writer.bytes))
                        continue
                    }
                    if rows.isEmpty { chunk.outside[table]["no rows", default: 0] += 1 }
                    for (index, row) in rows.enumerated() {
                        let fields = [memberID, String(index + 1)] + row.map { formatter.text($0.value, records: records) }
                        chunk.rows[table].append(OutputRow(memberID: memberID, claimID: "", rowNumber: index + 1, fields: fields))
                    }
                }
            case .contract(_, let events):
                guard contractIndex < result.contracts.count else { continue }
                let outcome = result.contracts[contractIndex]
                contractIndex += 1
                // Every value but an event (which names its own claim) is followed by the claims it
                // was computed from; the payout's are the last evidence.
                func claimIDs(_ output: Int) -> String {
                    guard output < outcome.evidence.count else { return "" }
                    return outcome.evidence[output].map { reference -> String in
                        switch reference.kind {
                        case .fill: records.claimID(of: records.fills[Int(reference.index)])
                        case .medical: records.medicalClaims[Int(reference.index)].claimID
                        }
                    }.joined(separator: "|")
                }
                var fields = [memberID]
                for (offset, (name, value)) in outcome.outputs.enumerated() {
                    if events.contains(name) {
                        fields += formatter.event(value, records: records)
                    } else {
                        fields += [formatter.text(value, records: records), claimIDs(offset)]
                    }
                }
                chunk.rows[table].append(OutputRow(memberID: memberID, claimID: "", fields: fields))
                let plan = ContractPortfolio.plan(of: records.history(at: member), on: outcome.windowStart, records: records)
                chunk.portfolios[table, default: ContractPortfolio()].add(outcome, events: events, plan: plan)
            case .claimRule:
                guard ruleIndex < result.claimRules.count else { continue }
                let decisions = result.claimRules[ruleIndex].decisions
                ruleIndex += 1
                if decisions.isEmpty { chunk.outside[table]["no claim selected", default: 0] += 1 }
                for decision in decisions {
                    var writer = RowWriter()
                    writer.field(decision.claimID)
                    writer.field(memberID)
                    writer.plain { decision.fillDate.appendDescription(to: &$0) }
                    if decision.pays {
                        // Most claims pay: no reject lists to join.
                        writer.plain { $0.append(contentsOf: ValueFormatter.payBytes) }
                        writer.plain { _ in }
                        writer.plain { _ in }
                        writer.plain { _ in }
                    } else {
                        writer.plain { $0.append(contentsOf: ValueFormatter.rejectBytes) }
                        writer.field(decision.rejects.map(\.code).joined(separator: "|"))
                        writer.field(decision.rejects.map { $0.message ?? "" }.joined(separator: " | "))
                        writer.field(decision.rejects.compactMap(\.nextFill).max()?.description ?? "")
                    }
                    chunk.rows[table].append(OutputRow(memberID: memberID, claimID: decision.claimID, line: writer.bytes))
                }
            case .claimDecisions:
                // A claim is rejected when any rule rejects it; every reject is listed as rule:code.
                // By the claim's position among the member's fills (no hashing per claim).
                let fills = records.ranges(at: member).fills
                let base = fills.lowerBound
                var byClaim = [(claimID: String, date: Day, rejects: [String], nextFill: Day?)?](
                    repeating: nil, count: fills.count)
                var order: [Int] = []
                for (rule, decisions) in result.claimRules {
                    for decision in decisions {
                        let slot = Int(decision.claimIndex) - base
                        guard byClaim.indices.contains(slot) else { continue }
                        if byClaim[slot] == nil {
                            byClaim[slot] = (decision.claimID, decision.fillDate, [], nil)
                            order.append(slot)
                        }
                        for reject in decision.rejects {
                            byClaim[slot]?.rejects.append("\(rule):\(reject.code)")
                            if let next = reject.nextFill {
                                let current = byClaim[slot]?.nextFill ?? next
                                byClaim[slot]?.nextFill = max(current, next)
                            }
                        }
                    }
                }
                if order.isEmpty { chunk.outside[table]["no claim selected", default: 0] += 1 }
                for slot in order {
                    guard let claim = byClaim[slot] else { continue }
                    var writer = RowWriter()
                    writer.field(claim.claimID)
                    writer.field(memberID)
                    writer.plain { claim.date.appendDescription(to: &$0) }
                    if claim.rejects.isEmpty {
                        writer.plain { $0.append(contentsOf: ValueFormatter.payBytes) }
                        writer.plain { _ in }
                    } else {
                        writer.plain { $0.append(contentsOf: ValueFormatter.rejectBytes) }
                        writer.field(claim.rejects.joined(separator: "|"))
                    }
                    writer.field(claim.nextFill?.description ?? "")
                    chunk.rows[table].append(OutputRow(memberID: memberID, claimID: claim.claimID, line: writer.bytes))
                }
            }
        }
    }
}

/// Rows and counts of one chunk of members, per table of the run.
struct RunChunk: Sendable {
    var rows: [[OutputRow]]
    /// Members outside a table by reason; the commonest reason is an array count (no hashing).
    var outside: [[String: Int]]
    var notIncluded: [Int]
    /// Contract tables' portfolio counts, by table index.
    var portfolios: [Int: ContractPortfolio] = [:]

    init(tableCount: Int) {
        rows = Array(repeating: [], count: tableCount)
        outside = Array(repeating: [:], count: tableCount)
        notIncluded = Array(repeating: 0, count: tableCount)
    }
}

/// A contract's portfolio: how many members are eligible, pass each gate, have an event, are paid,
/// and the total paid, overall and per plan. The total is the sum of the member payouts as written
/// (each rounded half-even to the cent once), so it reconciles to the cent with the rows, and the
/// plans' totals add up to it.
struct ContractPortfolio: Sendable, Encodable {
    /// The counts of one group of members (the whole contract, or one plan).
    struct Counts: Sendable, Encodable {
        var members = 0
        var eligible = 0
        var withEvent = 0
        var paid = 0
        var totalPayout = ExactDecimal(units: 0, scale: 2)
        /// Set when a sum did not fit (never silently wrong).
        var overflow = false

        mutating func merge(_ other: Counts) {
            members += other.members
            eligible += other.eligible
            withEvent += other.withEvent
            paid += other.paid
            add(other.totalPayout)
            overflow = overflow || other.overflow
        }

        mutating func add(_ amount: ExactDecimal) {
            if let sum = totalPayout.adding(amount) { totalPayout = sum } else { overflow = true }
        }

        enum CodingKeys: String, CodingKey { case members, eligible, withEvent, paid, totalPayout, overflow }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(members, forKey: .members)
            try container.encode(eligible, forKey: .eligible)
            try container.encode(withEvent, forKey: .withEvent)
            try container.encode(paid, forKey: .paid)
            // Money as exact text, never a binary floating-point number.
            try container.encode(totalPayout.description, forKey: .totalPayout)
            try container.encode(overflow, forKey: .overflow)
        }
    }

    /// The plan a member counts under when no enrollment span says otherwise.
    static let noPlan = "(no enrollment)"

    var all = Counts()
    var gates: [String: Int] = [:]
    var byPlan: [String: Counts] = [:]

    var members: Int { all.members }
    var eligible: Int { all.eligible }
    var withEvent: Int { all.withEvent }
    var paid: Int { all.paid }
    var totalPayout: ExactDecimal { all.totalPayout }
    var overflow: Bool { all.overflow }

    /// The plan in force on the first day of the member's contract window; without a window (or
    /// coverage on that day), the plan of the member's latest enrollment span.
    static func plan(of history: MemberHistory, on day: Day?, records: RecordSet) -> String {
        let spans = history.enrollments
        if let day, let covering = spans.first(where: { $0.period.contains(day) }) {
            return records.codes[covering.plan]
        }
        guard let latest = spans.max(by: { ($0.period.start, $0.period.end) < ($1.period.start, $1.period.end) }) else {
            return noPlan
        }
        return records.codes[latest.plan]
    }

    mutating func add(_ outcome: ContractOutcome, events: Set<String>, plan: String) {
        var member = Counts()
        member.members = 1
        // A contract without an `eligible` clause covers every member.
        if !outcome.outputs.contains(where: { $0.name == "eligible" }) { member.eligible = 1 }
        for (name, value) in outcome.outputs {
            switch (name, value) {
            case ("payout", .money(let amount)):
                let cents = ValueFormatter.cents(amount)
                if cents.units != 0 { member.paid = 1 }
                member.add(cents)
            case ("eligible", .bool(let flag)):
                if flag { member.eligible = 1 }
            case (_, .bool(let flag)) where !events.contains(name):
                gates[name, default: 0] += flag ? 1 : 0
            case (_, let event) where events.contains(name):
                if case .missing = event {} else { member.withEvent = 1 }
            default:
                break
            }
        }
        all.merge(member)
        byPlan[plan, default: Counts()].merge(member)
    }

    mutating func merge(_ other: ContractPortfolio) {
        all.merge(other.all)
        gates.merge(other.gates, uniquingKeysWith: +)
        for (plan, counts) in other.byPlan { byPlan[plan, default: Counts()].merge(counts) }
    }

    enum CodingKeys: String, CodingKey { case gates, byPlan }

    func encode(to encoder: any Encoder) throws {
        try all.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gates, forKey: .gates)
        try container.encode(byPlan, forKey: .byPlan)
    }
}

/// How values print in result files.
struct ValueFormatter: Sendable {
    var decimals: Int

    func text(_ value: Value, records: RecordSet) -> String {
        switch value {
        case .missing: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number), .days(let number), .months(let number): return String(number)
        case .decimal(let rational):
            return rational.rounded(digits: decimals, rule: .halfEven)?.description ?? rational.description
        case .money(let amount):
            return ValueFormatter.cents(amount).description
        case .date(let day): return day.description
        case .period(let period): return "\(period.start)..\(period.end)"
        case .string(let text): return text
        case .fill(let index): return records.claimID(of: records.fills[Int(index)])
        case .medical(let index): return records.medicalClaims[Int(index)].claimID
        case .list(let values): return values.map { text($0, records: records) }.joined(separator: "|")
        default: return value.display(codes: records.codes)
        }
    }

    /// Writes `value` as `text` would, numbers and dates without making a string.
    func write(_ value: Value, records: RecordSet, into writer: inout RowWriter) {
        switch value {
        case .missing: writer.plain { _ in }
        case .bool(let flag): writer.plain { $0.append(contentsOf: flag ? Self.trueBytes : Self.falseBytes) }
        case .int(let number), .days(let number), .months(let number): writer.plain { Self.digits(number, into: &$0) }
        case .date(let day): writer.plain { day.appendDescription(to: &$0) }
        case .decimal(let rational):
            // As `text` writes it, without making a string.
            guard let rounded = rational.rounded(digits: decimals, rule: .halfEven) else {
                writer.field(text(value, records: records))
                return
            }
            writer.plain { rounded.appendDescription(to: &$0) }
        case .money(let amount): writer.plain { ValueFormatter.cents(amount).appendDescription(to: &$0) }
        default: writer.field(text(value, records: records))
        }
    }

    private static let trueBytes = Array("true".utf8), falseBytes = Array("false".utf8)
    static let payBytes = Array("pay".utf8), rejectBytes = Array("reject".utf8)

    /// A decimal integer's digits, with a minus sign when negative.
    static func digits(_ number: Int, into bytes: inout [UInt8]) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let start = bytes.count
        repeat {
            bytes.append(UInt8(truncatingIfNeeded: 48 + magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        // Reversed in place by index (a reversed slice would copy the array).
        var low = start, high = bytes.count - 1
        while low < high {
            bytes.swapAt(low, high)
            low += 1
            high -= 1
        }
    }

    /// Money as written in results: rounded once, half-even, to the cent (docs/engine.md).
    static func cents(_ amount: ExactDecimal) -> ExactDecimal {
        amount.rounded(scale: 2, rounding: .halfEven) ?? amount
    }

    /// An event as its date and claim id (empty when no event).
    func event(_ value: Value, records: RecordSet) -> [String] {
        switch value {
        case .medical(let index):
            let claim = records.medicalClaims[Int(index)]
            return [claim.period.start.description, claim.claimID]
        case .fill(let index):
            let fill = records.fills[Int(index)]
            return [fill.fillDate.description, records.claimID(of: fill)]
        case .observation(let index):
            return [records.observations[Int(index)].date.description, ""]
        default:
            return ["", ""]
        }
    }
}

/// Everything the run needs before reading data: packs loaded, checked and bound.
struct RunPreparation: Sendable {
    var packs: [PreparedPack]
    /// Calls of native functions that reported a failure, by `pack.function`.
    let nativeFailures = NativeFailures()

    static func prepare(_ command: RunCommand) throws -> RunPreparation {
        var required: [String: String] = [:]
        for pin in command.requiredHashes {
            let parts = pin.split(separator: "=", maxSplits: 1).map(String.init)
            required[parts[0]] = parts[1].hasPrefix("sha256:") ? String(parts[1].dropFirst(7)) : parts[1]
        }
        let loaded: [LoadedPack]
        do {
            loaded = try PackSource.loadAll(command.packs, requiredHashes: required)
        } catch {
            printError("error: \(error.description)")
            throw ExitCode(ExitStatus.failure)
        }
        let overrides = command.parameters.compactMap(ParameterOverride.init(argument:))
        var replacements: [String: String] = [:]
        for entry in command.valueSets {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            replacements[parts[0]] = parts[1]
        }
        var prepared: [PreparedPack] = []
        var usedOverrides = Set<String>()
        var usedReplacements = Set<String>()
        for var pack in loaded {
            let original = PackChecker.check(folder: pack.folder, overrides: [])
            let declaredParameters = Set(original.pack.parameters.keys)
            let packOverrides = overrides.filter { declaredParameters.contains($0.name) }
            usedOverrides.formUnion(packOverrides.map(\.name))
            var replaced: [String: String] = [:]
            for (name, path) in replacements {
                guard let relative = valueSetFile(named: name, in: original) else { continue }
                guard let bytes = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("--valueset \(name): cannot read '\(path)'")
                }
                var files = pack.folder.files.filter { $0.relativePath != relative }
                files.append(PackFolder.File(relativePath: relative, bytes: Array(bytes)))
                pack.folder = PackFolder(path: pack.folder.path, name: pack.folder.name, files: files)
                replaced[name] = path
                usedReplacements.insert(name)
            }
            let originalHash = pack.contentHash
            pack.contentHash = pack.folder.contentHash
            let checked = PackChecker.check(folder: pack.folder, overrides: packOverrides, reportUnknownOverrides: false)
            if checked.hasErrors {
                printError(DiagnosticRenderer(format: .annotated, colored: false).render(checked.diagnostics, files: checked.sources))
                printError("error: pack '\(pack.name)' has errors; nothing was evaluated")
                throw ExitCode(ExitStatus.failure)
            }
            let natives: [String: NativeImplementation]
            do {
                natives = try PackSource.bindNatives(
                    pack, declared: checked.pack.nativeFunctions, moduleDirectories: [PackSource.hostDirectory])
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(ExitStatus.failure)
            }
            let (tables, kinds) = outputTables(checked, stamp: [pack.name, pack.version, "sha256:" + pack.contentHash])
            var parameters: [String: String] = [:]
            for (name, parameter) in checked.pack.parameters {
                parameters[name] = parameter.value.map(String.init(describing:)) ?? ""
            }
            prepared.append(PreparedPack(
                loaded: pack, checked: checked, natives: natives, tables: tables, kinds: kinds,
                summary: RunSummary.Pack(
                    name: pack.name, version: pack.version, hash: "sha256:" + pack.contentHash,
                    originalHash: "sha256:" + originalHash, origin: pack.origin.description,
                    parameters: parameters, valueSetOverrides: replaced)))
        }
        let unknownParameters = overrides.map(\.name).filter { !usedOverrides.contains($0) }
        if !unknownParameters.isEmpty {
            throw ValidationError("--param \(unknownParameters.joined(separator: ", ")): no pack declares such a parameter")
        }
        let unknownSets = replacements.keys.filter { !usedReplacements.contains($0) }.sorted()
        if !unknownSets.isEmpty {
            throw ValidationError("--valueset \(unknownSets.joined(separator: ", ")): no pack reads such a value set from a file")
        }
        var preparation = RunPreparation(packs: prepared)
        // Every native call that reports a failure is counted: the run then says so and exits 1.
        for index in preparation.packs.indices {
            let pack = preparation.packs[index].loaded.name
            let failures = preparation.nativeFailures
            preparation.packs[index].natives = preparation.packs[index].natives.mapValues { implementation in
                { arguments in
                    let result = implementation(arguments)
                    if result == nil { failures.record(pack) }
                    return result
                }
            }
        }
        let names = prepared.flatMap { $0.tables.map(\.name) }
        if Set(names).count != names.count {
            throw ValidationError("two packs have an output with the same name; run them separately")
        }
        return preparation
    }

    /// The pack-relative path of a value set read from a file.
    static func valueSetFile(named name: String, in checked: PackCheckResult) -> String? {
        for file in checked.syntax {
            for declaration in file.declarations {
                guard case .valueSet(let valueSet) = declaration.kind, valueSet.name.name == name,
                      case .file(let path, _) = valueSet.source
                else { continue }
                return PackFolder.normalize(path.value)
            }
        }
        return nil
    }

    /// Output tables in declaration order, with their columns.
    static func outputTables(_ checked: PackCheckResult, stamp: [String]) -> ([OutputTable], [PreparedPack.TableKind]) {
        var measures: [(OutputTable, PreparedPack.TableKind)] = []
        var contracts: [(OutputTable, PreparedPack.TableKind)] = []
        var rules: [(OutputTable, PreparedPack.TableKind)] = []
        for file in checked.syntax {
            for declaration in file.declarations {
                switch declaration.kind {
                case .measure(let measure):
                    let values = measure.clauses.compactMap { clause -> String? in
                        if case .value(let name, _) = clause.kind { return name.name }
                        return nil
                    }
                    // A measure with `for each` has a row-number column named after its row name.
                    let rowName = measure.clauses.lazy.compactMap { clause -> String? in
                        if case .forEach(let name, _) = clause.kind { return name.name }
                        return nil
                    }.first
                    measures.append((
                        OutputTable(name: measure.name.name, keyColumns: ["member_id"] + (rowName.map { [$0] } ?? []),
                                    valueColumns: values, stamp: stamp),
                        .measure(values: values, rows: rowName != nil)))
                case .contract(let contract):
                    var columns: [String] = []
                    var outputs: [String] = []
                    var events = Set<String>()
                    for clause in contract.clauses {
                        switch clause.kind {
                        case .eligible:
                            columns += ["eligible", "eligible_claim_ids"]
                            outputs.append("eligible")
                        case .gate(let name, _):
                            columns += [name.name, name.name + "_claim_ids"]
                            outputs.append(name.name)
                        case .event(let name, _):
                            columns += [name.name + "_date", name.name + "_claim_id"]
                            outputs.append(name.name)
                            events.insert(name.name)
                        default:
                            break
                        }
                    }
                    columns += ["payout", "payout_claim_ids"]
                    contracts.append((
                        OutputTable(name: contract.name.name, keyColumns: ["member_id"], valueColumns: columns, stamp: stamp),
                        .contract(outputs: outputs, events: events)))
                case .claimRule(let rule):
                    rules.append((
                        OutputTable(
                            name: rule.name.name,
                            keyColumns: ["claim_id", "member_id", "fill_date"],
                            valueColumns: ["decision", "reject_code", "message", "next_fill_date"], stamp: stamp),
                        .claimRule))
                default:
                    break
                }
            }
        }
        if !rules.isEmpty {
            let name = "claim_decisions_" + checked.pack.name.map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce("") { $0 + String($1) }
            rules.append((
                OutputTable(
                    name: name, keyColumns: ["claim_id", "member_id", "fill_date"],
                    valueColumns: ["decision", "rejects", "next_fill_date"], stamp: stamp),
                .claimDecisions))
        }
        let all = measures + contracts + rules
        return (all.map(\.0), all.map(\.1))
    }
}

/// Counts of native-function calls that reported a failure, by pack.
final class NativeFailures: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ pack: String) { counts.withLock { $0[pack, default: 0] += 1 } }
    var byPack: [String: Int] { counts.withLock { $0 } }
}

/// The few lines a person reads after a run.
enum RunReport {
    static func text(summary: RunSummary, report: LoadReport, out: String) -> String {
        var lines: [String] = []
        for pack in summary.packs {
            lines.append("pack \(pack.name) \(pack.version) \(pack.hash.prefix(19))  (\(pack.origin))")
        }
        for file in summary.files {
            var line = "read \(file.file): \(file.read) rows = \(file.accepted) accepted + \(file.rejected) rejected"
            if file.cancelled > 0 { line += " + \(file.cancelled) cancelled by reversals" }
            if file.skipped > 0 { line += " + \(file.skipped) skipped" }
            lines.append(line)
        }
        for file in summary.unusedFiles {
            lines.append("not read \(file.file): no loaded pack reads \(file.kind) records")
        }
        lines.append("members: \(summary.members)")
        for output in summary.outputs {
            let without = output.withoutRow.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            lines.append("wrote \(out)/\(output.file): \(output.rows) rows" + (without.isEmpty ? "" : " (no row: \(without))"))
            if let portfolio = output.portfolio {
                let gates = portfolio.gates.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                lines.append("  portfolio: \(portfolio.members) members, \(portfolio.eligible) eligible"
                    + (gates.isEmpty ? "" : ", gates passed: \(gates)")
                    + ", \(portfolio.withEvent) with an event, \(portfolio.paid) paid, total \(portfolio.totalPayout)")
                // Plans that paid, largest total first; the full breakdown is in summary.json.
                let paying = portfolio.byPlan.filter { $0.value.paid > 0 }
                    .sorted { ($0.value.totalPayout, $1.key) > ($1.value.totalPayout, $0.key) }
                for (plan, counts) in paying.prefix(5) {
                    lines.append("    plan \(plan): \(counts.members) members, \(counts.paid) paid, total \(counts.totalPayout)")
                }
                if paying.count > 5 { lines.append("    \(paying.count - 5) more paying plans in summary.json") }
            }
        }
        lines.append(String(
            format: "time: load %.2f s, evaluate %.2f s (%d threads), write %.2f s",
            summary.timings.loadSeconds, summary.timings.evaluateSeconds, summary.threads, summary.timings.writeSeconds))
        if report.totalRejected > 0 { lines.append("rejects: \(report.totalRejected) rows, see \(out)/rejects.csv") }
        return lines.joined(separator: "\n")
    }
}
