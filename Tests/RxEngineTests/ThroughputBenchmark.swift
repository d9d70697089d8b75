#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RxLanguage
import RxRecords
import Testing

@testable import RxEngine

/// Evaluation speed of the PQA pack, one thread, records already in memory.
/// Runs only with RXRULES_BENCH set: `RXRULES_BENCH=1 swift test -c release --filter ThroughputBenchmark`.
@Suite("ThroughputBenchmark")
struct ThroughputBenchmark {
    @Test("pqa-adherence evaluation throughput", .enabled(if: getenv("RXRULES_BENCH") != nil))
    func pqaThroughput() throws {
        let folder = try PackFolder.load(path: repositoryRoot() + "/rules/pqa-adherence")
        let checked = PackChecker.check(folder: folder)
        let (records, _) = try RecordSet.fromCanonicalCSV(PropertyTests.generate(members: 50_000, seed: 7))
        let plan = try EnginePlan(checked: checked, codes: records.codes)
        var included = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for index in 0..<records.memberCount {
                let result = plan.evaluate(member: records.history(at: index), in: records)
                included += result.measures.filter { $0.status == .included }.count
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("members \(records.memberCount) claims \(records.fills.count) included \(included) seconds \(seconds)"
              + " claims/s \(Int(Double(records.fills.count) / seconds)) members/s \(Int(Double(records.memberCount) / seconds))")
        #expect(included > 0)
    }

    /// Closure compilation against a switch over a lowered node tree, on the PQA selection
    /// `fills where ndc in statins and fill_date in measurement_period` (the hottest expression).
    @Test("closures against a tree-walking interpreter", .enabled(if: getenv("RXRULES_BENCH") != nil))
    func closuresAgainstTreeWalk() throws {
        let folder = try PackFolder.load(path: repositoryRoot() + "/rules/pqa-adherence")
        let checked = PackChecker.check(folder: folder)
        let (records, _) = try RecordSet.fromCanonicalCSV(PropertyTests.generate(members: 50_000, seed: 7))
        let plan = try EnginePlan(checked: checked, codes: records.codes)
        let defineNames = checked.syntax.flatMap(\.declarations).compactMap { declaration -> String? in
            if case .define(let define) = declaration.kind { return define.name.name }
            return nil
        }
        let selection = try #require(defineNames.firstIndex(of: "statin_fills"))
        let statins = try #require(plan.bindings.valueSets.firstIndex { $0.name == "statins" })
        let period = try #require(checked.pack.parameters.keys.sorted().firstIndex(of: "measurement_period"))
        let tree = TreeNode.filter(.fills, .and(.inSet(.ndc, statins), .inPeriod(.fillDate, .parameter(period))))
        let clock = ContinuousClock()
        var closureCount = 0, treeCount = 0
        let closureTime = clock.measure {
            for index in 0..<records.memberCount {
                var context = MemberContext(program: plan.program, bindings: plan.bindings, records: records,
                                            member: index, trackCoverage: false)
                closureCount += context.define(selection).listValue?.count ?? 0
            }
        }
        let treeTime = clock.measure {
            for index in 0..<records.memberCount {
                var context = MemberContext(program: plan.program, bindings: plan.bindings, records: records,
                                            member: index, trackCoverage: false)
                treeCount += tree.evaluate(&context).listValue?.count ?? 0
            }
        }
        print("selection over \(records.fills.count) claims: closures \(closureTime), tree walk \(treeTime)")
        #expect(closureCount == treeCount)
    }
}

/// The alternative design, for the measurement only: a lowered tree walked by a switch.
indirect enum TreeNode {
    case fills, element, ndc, fillDate
    case parameter(Int)
    case filter(TreeNode, TreeNode)
    case and(TreeNode, TreeNode)
    case inSet(TreeNode, Int)
    case inPeriod(TreeNode, TreeNode)

    func evaluate(_ context: inout MemberContext) -> Value {
        switch self {
        case .fills: return context.fills()
        case .element: return context.elements.last ?? .missing
        case .ndc:
            guard case .fill(let index)? = context.elements.last else { return .missing }
            return .code(context.records.fills[Int(index)].ndc)
        case .fillDate:
            guard case .fill(let index)? = context.elements.last else { return .missing }
            return .date(context.records.fills[Int(index)].fillDate)
        case .parameter(let index): return context.bindings.parameters[index]
        case .filter(let list, let condition):
            guard case .list(let items) = list.evaluate(&context) else { return .missing }
            var kept: [Value] = []
            for item in items {
                context.elements.append(item)
                let verdict = condition.evaluate(&context)
                context.elements.removeLast()
                if case .bool(true) = verdict { kept.append(item) }
            }
            return .list(kept)
        case .and(let left, let right):
            let first = left.evaluate(&context)
            if case .bool(false) = first { return first }
            let second = right.evaluate(&context)
            if case .bool(false) = second { return second }
            return first.isMissing || second.isMissing ? .missing : .bool(true)
        case .inSet(let code, let set):
            guard case .code(let id) = code.evaluate(&context) else { return .missing }
            return .bool(context.bindings.valueSets[set].contains(id))
        case .inPeriod(let day, let period):
            guard case .date(let date) = day.evaluate(&context), case .period(let range) = period.evaluate(&context)
            else { return .missing }
            return .bool(range.contains(date))
        }
    }
}
