import Foundation
import RxValues
import Testing
@testable import RxAdherence

/// AdhereR's example events, read from the shared data folder beside the repository (never copied in).
enum AdhereRExampleData {
    static let url: URL = {
        // Tests/RxAdherenceTests/<file> → repository root → its parent.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent("../shared/data/adherer/med_events.csv").standardizedFileURL
    }()

    static var isAvailable: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Events per patient id, in file order.
    static func load() throws -> [Int: [MedicationEvent]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        var patients: [Int: [MedicationEvent]] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            guard fields.count == 5, let id = Int(fields[0]), let date = Day(fields[1]),
                  let dose = ExactDecimal(fields[2]), let duration = Int(fields[4])
            else { throw LoadError(line: String(line)) }
            let medication: Int32 = fields[3] == "medA" ? 1 : 2
            patients[id, default: []].append(MedicationEvent(date: date, duration: duration, dailyDose: dose,
                                                             medication: medication))
        }
        return patients
    }

    struct LoadError: Error { var line: String }
}

/// Day-by-day stock simulation: an independent oracle for the gap-based CMAs when no dose rescaling applies.
struct DailyStock {
    /// Days in `[from, to)` with supply on hand, starting from an empty stock at the first event of `events`.
    static func covered(_ events: [MedicationEvent], from: Int, to: Int, carryOnlySame: Bool) -> Int {
        let sorted = events.enumerated().sorted { $0.element.date != $1.element.date
            ? $0.element.date < $1.element.date : $0.offset < $1.offset }.map(\.element)
        guard let first = sorted.first else { return 0 }
        var stock = 0, covered = 0, next = 0
        var previousMedication: Int32?
        var t = Int(first.date.number)
        while t < to {
            while next < sorted.count, Int(sorted[next].date.number) == t {
                if carryOnlySame, let previous = previousMedication, previous != sorted[next].medication { stock = 0 }
                stock += sorted[next].duration
                previousMedication = sorted[next].medication
                next += 1
            }
            if stock > 0 {
                if t >= from { covered += 1 }
                stock -= 1
            }
            t += 1
        }
        return covered
    }

    /// Stock on hand at the start of each event's day (the carry-in), in sorted order.
    static func carryIn(_ sorted: [MedicationEvent], carryOnlySame: Bool) -> [Int] {
        var result: [Int] = []
        var stock = 0
        for (index, event) in sorted.enumerated() {
            if index > 0 {
                let elapsed = event.date - sorted[index - 1].date
                stock = max(0, stock - elapsed)
                if carryOnlySame && sorted[index - 1].medication != event.medication { stock = 0 }
            }
            result.append(stock)
            stock += event.duration
        }
        return result
    }
}

@Suite(.enabled(if: AdhereRExampleData.isAvailable,
                "AdhereR example data (shared/data/adherer/med_events.csv beside the repository) not found; skipped"))
struct AdhereRDataTests {
    static let vignette = CMAOptions()  // FUW 0 + 730 days, OW 182 + 365 days

    @Test func loadsEveryPatient() throws {
        let patients = try AdhereRExampleData.load()
        #expect(patients.count == 100)
        #expect(patients.values.reduce(0) { $0 + $1.count } == 1080)
    }

    @Test(arguments: [false, true])
    func gapMeasuresMatchDailyStock(carryOnlySame: Bool) throws {
        var options = Self.vignette
        options.carryOnlyForSameMedication = carryOnlySame
        for (id, events) in try AdhereRExampleData.load() {
            let sorted = events.enumerated().sorted { $0.element.date != $1.element.date
                ? $0.element.date < $1.element.date : $0.offset < $1.offset }.map(\.element)
            guard let first = sorted.first else { continue }
            let f0 = Int(first.date.number), f1 = f0 + 730, o0 = f0 + 182, o1 = o0 + 365
            let fuw = sorted.filter { Int($0.date.number) <= f1 }
            let upToEnd = fuw.filter { Int($0.date.number) <= o1 }
            let inWindow = fuw.filter { Int($0.date.number) >= o0 && Int($0.date.number) <= o1 }

            // CMA7: covered OW days with stock carried from the first event.
            let cma7 = try cma(.cma7, events: events, options: options)
            let expected7 = Double(DailyStock.covered(upToEnd, from: o0, to: o1, carryOnlySame: carryOnlySame)) / 365
            #expect(abs((cma7.number ?? -1) - expected7) < 1e-9, "patient \(id) CMA7")

            // CMA8: the same on the lagged window.
            let carry = DailyStock.carryIn(upToEnd, carryOnlySame: carryOnlySame)
            var lagged = o0
            for (index, event) in upToEnd.enumerated() where Int(event.date.number) < o0 {
                lagged = max(lagged, Int(event.date.number) + event.duration + carry[index])
            }
            let cma8 = try cma(.cma8, events: events, options: options)
            if lagged < o1 {
                let expected8 = Double(DailyStock.covered(upToEnd, from: lagged, to: o1,
                                                          carryOnlySame: carryOnlySame)) / Double(o1 - lagged)
                #expect(abs((cma8.number ?? -1) - expected8) < 1e-9, "patient \(id) CMA8")
            }

            guard let firstIn = inWindow.first, let lastIn = inWindow.last else {
                #expect(try cma(.cma6, events: events, options: options) == .notAvailable)
                continue
            }
            let df = Int(firstIn.date.number), dl = Int(lastIn.date.number)
            // CMA6: OW events only, stock empty at the first OW event, to the OW end.
            let cma6 = try cma(.cma6, events: events, options: options)
            let expected6 = Double(DailyStock.covered(inWindow, from: df, to: o1, carryOnlySame: carryOnlySame))
                / Double(o1 - df)
            #expect(abs((cma6.number ?? -1) - expected6) < 1e-9, "patient \(id) CMA6")
            // CMA5: the same to the last OW event.
            let cma5 = try cma(.cma5, events: events, options: options)
            if dl > df {
                let expected5 = Double(DailyStock.covered(inWindow, from: df, to: dl, carryOnlySame: carryOnlySame))
                    / Double(dl - df)
                #expect(abs((cma5.number ?? -1) - expected5) < 1e-9, "patient \(id) CMA5")
                // CMA1: plain sums.
                let supply = inWindow.dropLast().reduce(0) { $0 + $1.duration }
                #expect(try cma(.cma1, events: events, options: options) == .value(Double(supply) / Double(dl - df)))
            } else {
                #expect(cma5 == .notAvailable)
            }
            let total = inWindow.reduce(0) { $0 + $1.duration }
            #expect(try cma(.cma2, events: events, options: options) == .value(Double(total) / Double(o1 - df)))
        }
    }

    /// The flag sets of cma.md: main, setB, carryonly, dosage, nomedchange.
    static let flagSets: [(carryOnly: Bool, dosage: Bool, medicationChangeSplits: Bool)] = [
        (false, false, true), (true, true, false), (true, false, true), (false, true, true), (false, false, false),
    ]

    @Test(arguments: 0..<5)
    func invariantsHoldForEveryPatient(flagSet: Int) throws {
        let flags = Self.flagSets[flagSet]
        var options = Self.vignette
        options.carryOnlyForSameMedication = flags.carryOnly
        options.considerDosageChange = flags.dosage
        let episodeOptions = TreatmentEpisodeOptions(maximumPermissibleGap: .days(180),
                                                     medicationChangeMeansNewEpisode: flags.medicationChangeSplits)
        for (id, events) in try AdhereRExampleData.load() {
            let values = try CMAKind.allCases.map { try cma($0, events: events, options: options) }
            #expect(values[2] == values[0].cappedAtOne, "patient \(id) CMA3")
            #expect(values[3] == values[1].cappedAtOne, "patient \(id) CMA4")
            for kind in [CMAKind.cma5, .cma6, .cma7, .cma8, .cma9] {
                if let number = values[kind.rawValue - 1].number {
                    #expect(number >= -1e-9 && number <= 1 + 1e-9, "patient \(id) \(kind) = \(number)")
                }
            }
            #expect(values[6].number != nil, "patient \(id): CMA7 is defined whenever an event precedes the OW end")

            let episodes = try treatmentEpisodes(events: events, options: options, episodes: episodeOptions)
            #expect(!episodes.isEmpty)
            for (index, episode) in episodes.enumerated() {
                #expect(episode.duration >= 0, "patient \(id) episode \(episode.number)")
                #expect(episode.endGapDays >= 0)
                if index + 1 < episodes.count {
                    #expect(episode.end <= Double(episodes[index + 1].start.number) + 1e-9)
                }
            }
            let perEpisode = try cmaPerEpisode(.cma7, events: events, options: options, episodes: episodeOptions)
            guard let first = events.map(\.date).min() else { continue }
            let o0 = Double(first.number + 182), o1 = o0 + 365
            for result in perEpisode {
                #expect(result.windowStart >= o0 && result.windowEnd <= o1 && result.windowStart < result.windowEnd)
                if let number = result.value.number { #expect(number >= -1e-9 && number <= 1 + 1e-9) }
            }
            let windows = try cmaSlidingWindows(.cma1, events: events, options: options, length: 120, step: 120)
            #expect(windows.map { $0.start - first } == [182, 302, 422])
        }
    }
}
