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
}
