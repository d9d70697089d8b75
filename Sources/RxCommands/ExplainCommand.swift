import ArgumentParser
import Foundation
import RxEngine
import RxRecords
import RxValues

/// `rxrules explain`: one member's results, each value with the claims it was computed from.
public struct ExplainCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why one member got their results: every value with the claims behind it.",
        discussion: """
            Evaluates the packs for one member exactly as `run` does (same data, map, parameters and \
            value sets) and prints, per measure, contract and claim rule: whether the member has a row \
            and why not, each value, and the claims it was computed from (fills and medical claims with \
            their dates, codes, supply and amounts). Records a `where` only selected are not listed.

            Examples:
              rxrules explain --pack rules/statin-cv-refund --data examples/data --member M00000130
              rxrules explain --pack rules/pqa-adherence --data examples/data --member M00000003 --output pdc_sta

            Exit status: 0 success; 1 a pack was refused or the member is not in the data; 2 the command \
            line is wrong.
            """
    )

    @OptionGroup public var inputs: PackInputOptions

    @Option(help: ArgumentHelp("The member to explain.", valueName: "member_id"))
    public var member: String

    @Option(name: .customLong("output"), help: ArgumentHelp(
        "Only this measure, contract or claim rule (repeatable).", valueName: "name"))
    public var outputs: [String] = []

    @Option(help: "Fraction digits of Decimal values (exact values are rounded half-even).")
    public var decimals: Int = 4

    public init() {}

    public func run() throws {
        // The same preparation as `run`: packs loaded, value sets replaced, overrides checked.
        let runCommand: RunCommand
        do {
            runCommand = try RunCommand.parse(inputs.arguments + ["--out", ".", "--decimals", String(decimals)])
        } catch {
            throw ValidationError(RunCommand.message(for: error))
        }
        let prepared = try RunPreparation.prepare(runCommand)
        let columnMap: ColumnMap
        do {
            columnMap = try ColumnMap.fromArgument(inputs.map)
        } catch {
            throw ValidationError("\(error)")
        }
        let known = Set(prepared.packs.flatMap(\.tables).map(\.name))
        for name in outputs where !known.contains(name) {
            throw ValidationError("--output \(name) is not an output of the packs (\(known.sorted().joined(separator: ", ")))")
        }
        var text: String?
        var failure: String?
        _ = try RecordLoader.load(directory: inputs.data, map: columnMap, memoryBudget: nil, rejectBudget: .none) { records in
            guard let index = records.memberIDs.firstIndex(of: member) else {
                failure = "error: member \(member) is not in \(inputs.data) (or all of its rows were rejected)"
                return
            }
            let history = records.history(at: index)
            var explanation = MemberExplanation(
                records: records, history: history, formatter: ValueFormatter(decimals: decimals), only: Set(outputs))
            for pack in prepared.packs {
                let plan: EnginePlan
                do {
                    plan = try EnginePlan(checked: pack.checked, codes: records.codes, natives: pack.natives)
                } catch let error as EngineError {
                    throw RunFailure("\(pack.loaded.name): \(error.description)")
                }
                explanation.add(plan.evaluate(member: history, in: records, evidence: true), pack: pack.summary)
            }
            text = explanation.text + explanation.claimsSection
        }
        if let failure {
            printError(failure)
            throw ExitCode(ExitStatus.failure)
        }
        print(text ?? "", terminator: "")
    }
}

/// The text of one member's explanation, pack by pack.
struct MemberExplanation {
    let records: RecordSet
    let history: MemberHistory
    let formatter: ValueFormatter
    /// Outputs to show; empty shows every one.
    let only: Set<String>
    private(set) var text = ""
    private var referenced = Set<RecordRef>()

    init(records: RecordSet, history: MemberHistory, formatter: ValueFormatter, only: Set<String>) {
        self.records = records
        self.history = history
        self.formatter = formatter
        self.only = only
        var header = "member \(history.memberID)"
        if let member = history.member {
            header += ": born \(member.birthDate), sex \(member.sex.code)"
            if let death = member.deathDate { header += ", died \(death)" }
        }
        header += "; \(history.fills.count) pharmacy claims, \(history.medicalClaims.count) medical claims, "
            + "\(history.observations.count) observations, \(history.enrollments.count) enrollment spans\n"
        text = header
    }

    private func shows(_ name: String) -> Bool { only.isEmpty || only.contains(name) }

    mutating func add(_ result: MemberResult, pack: RunSummary.Pack) {
        text += "\npack \(pack.name) \(pack.version) \(pack.hash.prefix(19))\n"
        for outcome in result.measures where shows(outcome.measure) {
            switch outcome.status {
            case .notIncluded:
                text += "\nmeasure \(outcome.measure): no row (not included: an include condition does not hold)\n"
            case .excluded(let reason):
                text += "\nmeasure \(outcome.measure): no row (excluded: \(reason))\n"
            case .included:
                if let rows = outcome.rows {
                    // A `for each` measure: one block per row (no per-value claims are kept for rows).
                    text += "\nmeasure \(outcome.measure): \(rows.count) rows\n"
                    for (number, row) in rows.enumerated() {
                        text += "  row \(number + 1): " + row.map { "\($0.name) = \(shown($0.value))" }.joined(separator: ", ") + "\n"
                    }
                    continue
                }
                text += "\nmeasure \(outcome.measure): in the denominator\n"
                for (offset, value) in outcome.values.enumerated() {
                    text += line(value.name, value.value, evidence: offset < outcome.evidence.count ? outcome.evidence[offset] : [])
                }
            }
        }
        for outcome in result.contracts where shows(outcome.contract) {
            text += "\ncontract \(outcome.contract)\n"
            for (offset, output) in outcome.outputs.enumerated() {
                text += line(output.name, output.value, evidence: offset < outcome.evidence.count ? outcome.evidence[offset] : [])
            }
        }
        for (rule, decisions) in result.claimRules where shows(rule) {
            text += "\nclaim rule \(rule): \(decisions.count) claims selected\n"
            for decision in decisions {
                var row = "  \(decision.claimID)  \(decision.fillDate)  "
                if decision.pays {
                    row += "pay"
                } else {
                    row += "reject " + decision.rejects.map { reject in
                        reject.code + (reject.message.map { " \"\($0)\"" } ?? "")
                            + (reject.nextFill.map { ", next fill \($0)" } ?? "")
                    }.joined(separator: "; ")
                }
                text += row + "\n"
            }
        }
    }

    /// `name = value`, then the ids of the claims behind it (described once, at the end).
    private func shown(_ value: Value) -> String {
        switch value {
        case .missing: "(missing)"
        case .fill, .medical, .observation: formatter.event(value, records: records).filter { !$0.isEmpty }.joined(separator: " ")
        default: formatter.text(value, records: records)
        }
    }

    private mutating func line(_ name: String, _ value: Value, evidence: [RecordRef]) -> String {
        var shown = shown(value)
        if case .money = value { shown += " (exact value rounded half-even to the cent)" }
        var lines = "  \(name) = \(shown)\n"
        guard !evidence.isEmpty else { return lines }
        var ids: [String] = []
        for reference in evidence {
            if !referenced.contains(reference) { referenced.insert(reference) }
            ids.append(claimID(reference))
        }
        // Wrapped at about 100 columns, under the value.
        var current = "      from"
        for id in ids {
            if current.count + id.count + 1 > 100 {
                lines += current + "\n"
                current = "          "
            }
            current += " " + id
        }
        return lines + current + "\n"
    }

    /// Every claim named above, once, in claim order.
    var claimsSection: String {
        guard !referenced.isEmpty else { return "" }
        return "\nclaims behind these values:\n" + referenced.sorted().map { "  " + describe($0) + "\n" }.joined()
    }

    private func claimID(_ reference: RecordRef) -> String {
        switch reference.kind {
        case .fill: records.claimID(of: records.fills[Int(reference.index)])
        case .medical: records.medicalClaims[Int(reference.index)].claimID
        }
    }

    private func describe(_ reference: RecordRef) -> String {
        switch reference.kind {
        case .fill:
            let fill = records.fills[Int(reference.index)]
            var parts = [records.claimID(of: fill), "fill \(fill.fillDate)", "ndc \(records.codes[fill.ndc])",
                         "\(fill.daysSupply) days", "quantity \(fill.quantity)", "paid \(fill.paidAmount)"]
            if let patient = fill.patientPay { parts.append("patient \(patient)") }
            return parts.joined(separator: "  ")
        case .medical:
            let claim = records.medicalClaims[Int(reference.index)]
            let dx = records.diagnoses(of: claim).map { records.codes[$0] }.joined(separator: "|")
            return [claim.claimID, "\(claim.setting.code) \(claim.period.start)..\(claim.period.end)", "dx \(dx)"]
                .joined(separator: "  ")
        }
    }
}
