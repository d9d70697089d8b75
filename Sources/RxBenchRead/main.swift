// Release-mode benchmark: reads and groups a canonical pharmacy_claims.csv, prints rows/s and peak RSS.
// Usage: rxrules-bench-read DIR            (DIR holds pharmacy_claims.csv)
//        rxrules-bench-read --decimal      (ExactDecimal vs Foundation.Decimal parse-and-sum)
import Foundation
import RxRecords
import RxValues

func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Int(usage.ru_maxrss) * 1024  // Linux reports KiB
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func decimalBenchmark() {
    let count = 2_000_000
    let texts = (0..<count).map { "\($0 % 100_000).\(String(format: "%02d", $0 % 100))" }
    var exactTotal = ExactDecimal.zero
    let exactTime = seconds {
        for text in texts {
            if let value = ExactDecimal(text), let sum = exactTotal.adding(value) { exactTotal = sum }
        }
    }
    var foundationTotal = Decimal.zero
    let foundationTime = seconds {
        for text in texts {
            if let value = Decimal(string: text) { foundationTotal += value }
        }
    }
    print("parse+sum \(count) amounts: ExactDecimal \(String(format: "%.3f", exactTime)) s (\(exactTotal)),"
        + " Foundation.Decimal \(String(format: "%.3f", foundationTime)) s (\(foundationTotal))")
    print("stride: ExactDecimal \(MemoryLayout<ExactDecimal>.stride) B, Decimal \(MemoryLayout<Decimal>.stride) B")
}

let arguments = CommandLine.arguments.dropFirst()
if arguments.first == "--decimal" {
    decimalBenchmark()
} else if let directory = arguments.first {
    var records: RecordSet?
    var report: LoadReport?
    let cpuStart = cpuSeconds()
    let time = try seconds { (records, report) = try RecordLoader.load(directory: directory) }
    let cpu = cpuSeconds() - cpuStart
    guard let records, let report else { exit(1) }
    let rows = report.totalRead
    let peak = peakRSSBytes()
    print("rows read \(rows), accepted fills \(records.fills.count), members \(records.memberCount), rejects \(report.totalRejected)")
    print("read+group wall \(String(format: "%.3f", time)) s = \(String(format: "%.2f", Double(rows) / time / 1e6)) M rows/s;"
        + " CPU \(String(format: "%.3f", cpu)) s = \(String(format: "%.2f", Double(rows) / cpu / 1e6)) M rows per CPU-second")
    print("peak RSS \(peak / 1_048_576) MiB = \(peak / max(rows, 1)) B per row; record arrays \(records.residentBytes / max(rows, 1)) B per row")
    print("MemoryLayout<PharmacyClaim>.stride = \(MemoryLayout<PharmacyClaim>.stride) B")
} else {
    print("usage: rxrules-bench-read DIR | --decimal")
    exit(2)
}
