import Foundation
import RxAdherence
import RxValues
import Testing

/// The adherer-cma pack on AdhereR's own example data, read through the pack's column map. The data
/// belongs to AdhereR's authors and is not in this repository: the test reads it from the shared
/// folder beside the repository and is skipped, saying so, where it is absent.
@Suite struct AdhereRPackTests {
    static let events = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/data/adherer/med_events.csv")

    /// A data folder in `scratch` holding (a link to) AdhereR's events, as the pack's map expects.
    static func dataFolder(in scratch: URL) throws -> URL {
        let data = scratch.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: data.appendingPathComponent("med_events.csv"), withDestinationURL: events)
        return data
    }

    /// `rxrules run` of the pack on AdhereR's events through its map, decimals to 12 places.
    static func runPack(in scratch: URL) throws -> (result: RunResult, out: URL) {
        let data = try dataFolder(in: scratch), out = scratch.appendingPathComponent("out")
        let result = try rxrules(["run", "--pack", "rules/adherer-cma", "--data", data.path, "--out", out.path,
                                  "--map", "rules/adherer-cma/med_events.map", "--decimals", "12"])
        return (result, out)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: events.path),
                   "AdhereR's med_events.csv is not beside the repository (../shared/data/adherer/)"))
    func everyPatientGetsConsistentCMAs() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (result, out) = try Self.runPack(in: scratch)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("read med_events.csv: 1080 rows = 1080 accepted + 0 rejected"))
        var values: [Int: [String: ExactDecimal?]] = [:]
        for n in 1...9 {
            let rows = csvRows(try String(contentsOf: out.appendingPathComponent("cma\(n).csv"), encoding: .utf8)).dropFirst()
            #expect(rows.count == 100, "cma\(n): one row per patient")
            for row in rows { values[n, default: [:]][row[0]] = ExactDecimal(row[1]) }
        }
        // The AdhereR vignette's CMA1 example (follow-up from day 0, observation window from day 182
        // for 365 days, the pack's defaults) prints 0.4035874 for patient 37 and 1.4000000 for 76
        // (7 decimal places, as printed).
        #expect((values[1]?["37"] ?? nil)?.rounded(scale: 7, rounding: .halfEven) == ExactDecimal("0.4035874"))
        #expect((values[1]?["76"] ?? nil)?.rounded(scale: 7, rounding: .halfEven) == ExactDecimal("1.4000000"))
        let one = ExactDecimal(1)
        for patient in values[1, default: [:]].keys {
            let cma1 = values[1]?[patient] ?? nil, cma2 = values[2]?[patient] ?? nil
            // CMA3 and CMA4 are CMA1 and CMA2 capped at 1 (AdhereR's definitions).
            #expect((values[3]?[patient] ?? nil) == cma1.map { min($0, one) }, "patient \(patient)")
            #expect((values[4]?[patient] ?? nil) == cma2.map { min($0, one) }, "patient \(patient)")
            for n in 5...9 {
                if let value = values[n]?[patient] ?? nil {
                    #expect(value >= .zero && value <= one, "CMA\(n) of patient \(patient) is \(value)")
                }
            }
        }
        // CMA7's denominator is the whole observation window, so every patient with events has one.
        #expect(values[7, default: [:]].values.allSatisfy { $0 != nil })
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: events.path),
                   "AdhereR's med_events.csv is not beside the repository (../shared/data/adherer/)"))
    func episodesAndWindowsAreConsistent() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = try Self.dataFolder(in: scratch)
        var outputs: [String: String] = [:]
        for threads in ["1", "2"] {
            let out = scratch.appendingPathComponent("out\(threads)")
            let result = try rxrules(["run", "--pack", "rules/adherer-cma", "--data", data.path, "--out", out.path,
                                      "--map", "rules/adherer-cma/med_events.map", "--threads", threads])
            #expect(result.status == 0, "\(result.standardError)")
            for name in ["treatment_episodes", "cma7_per_episode", "cma1_sliding_window"] {
                let text = try String(contentsOf: out.appendingPathComponent(name + ".csv"), encoding: .utf8)
                if let earlier = outputs[name] { #expect(text == earlier, "\(name): --threads 1 and 2 differ") }
                outputs[name] = text
            }
        }
        // Each patient's first event anchors the windows: FUW 0..730 days, OW 182..547 (the vignette's).
        var firstEvent: [String: Day] = [:]
        var eventDays: [String: Set<Day>] = [:]
        for row in csvRows(try String(contentsOf: Self.events, encoding: .utf8)).dropFirst() where row.count >= 2 {
            let day = try #require(Day(row[1]))
            firstEvent[row[0]] = min(firstEvent[row[0]] ?? day, day)
            eventDays[row[0], default: []].insert(day)
        }
        #expect(firstEvent.count == 100)

        let header = ["member_id", "episode", "start", "end", "duration", "end_gap", "pack", "pack_version", "pack_hash"]
        let episodeRows = csvRows(outputs["treatment_episodes"] ?? "")
        #expect(episodeRows.first == header)
        var episodes: [String: [(start: Day, end: Day)]] = [:]
        for row in episodeRows.dropFirst() {
            let patient = row[0]
            let start = try #require(Day(row[2])), end = try #require(Day(row[3]))
            let first = try #require(firstEvent[patient])
            #expect(Int(row[1]) == (episodes[patient]?.count ?? 0) + 1, "patient \(patient): rows numbered from 1")
            // An episode starts on one of the patient's events and ends inside the follow-up window.
            #expect(eventDays[patient]?.contains(start) == true, "patient \(patient)")
            #expect(start <= end && end <= first + 730, "patient \(patient)")
            // Without dose rescaling the duration is whole days: end - start.
            #expect(row[4] == "\(end - start).0000", "patient \(patient): duration \(row[4])")
            #expect((Int(row[5]) ?? -1) >= 0, "patient \(patient): end gap \(row[5])")
            // Episodes do not overlap: each starts on or after the previous one's end.
            if let previous = episodes[patient]?.last { #expect(previous.end <= start, "patient \(patient)") }
            episodes[patient, default: []].append((start, end))
        }
        #expect(Set(episodes.keys) == Set(firstEvent.keys), "every patient has at least one episode")

        for row in csvRows(outputs["cma7_per_episode"] ?? "").dropFirst() {
            let patient = row[0], first = try #require(firstEvent[row[0]])
            let number = try #require(Int(row[2]))
            let start = try #require(Day(row[3])), end = try #require(Day(row[4]))
            let episode = try #require(episodes[patient]?[number - 1])
            // The estimate's window is the episode clipped to the observation window, of positive length.
            #expect(start == max(episode.start, first + 182) && end == min(episode.end, first + 547) && start < end,
                    "patient \(patient), episode \(number)")
            let cma = try #require(ExactDecimal(row[5]))
            #expect(cma >= .zero && cma <= ExactDecimal(1), "patient \(patient): CMA7 \(cma)")
        }

        // Windows of 120 days every 120 days fully inside the 365-day OW: exactly 3 per patient, tiling days 182..542.
        var windows: [String: Int] = [:]
        for row in csvRows(outputs["cma1_sliding_window"] ?? "").dropFirst() {
            let patient = row[0], first = try #require(firstEvent[row[0]])
            let k = try #require(Int(row[1]))
            windows[patient, default: 0] += 1
            #expect(k == windows[patient])
            #expect(Day(row[2]) == first + 182 + 120 * (k - 1) && Day(row[3]) == first + 182 + 120 * k, "patient \(patient)")
            // CMA1 is uncapped; an empty value is AdhereR's NA (fewer than two events in the window).
            if !row[4].isEmpty { #expect(try #require(ExactDecimal(row[4])) >= .zero) }
        }
        #expect(windows.count == 100 && windows.values.allSatisfy { $0 == 3 })
    }

    /// The pack's rows are RxAdherence's results for the same events and options, row for row: the
    /// language adds windows as periods, flooring and numbering, and must change nothing else.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: events.path),
                   "AdhereR's med_events.csv is not beside the repository (../shared/data/adherer/)"))
    func rowsAreTheLibrarysResults() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (result, out) = try Self.runPack(in: scratch)
        #expect(result.status == 0, "\(result.standardError)")
        func rows(_ name: String) throws -> [String: [[String]]] {
            let text = try String(contentsOf: out.appendingPathComponent(name + ".csv"), encoding: .utf8)
            return Dictionary(grouping: csvRows(text).dropFirst(), by: { $0[0] })
        }
        let episodeRows = try rows("treatment_episodes"), perEpisodeRows = try rows("cma7_per_episode")
        let windowRows = try rows("cma1_sliding_window")
        // The events as the library takes them: same-day events in file order, medication by class.
        var patients: [String: [MedicationEvent]] = [:]
        for row in csvRows(try String(contentsOf: Self.events, encoding: .utf8)).dropFirst() where row.count == 5 {
            let day = try #require(Day(row[1])), duration = try #require(Int(row[4]))
            patients[row[0], default: []].append(MedicationEvent(date: day, duration: duration,
                                                                 medication: row[3] == "medA" ? 1 : 2))
        }
        #expect(patients.count == 100)
        let options = CMAOptions(observationStart: .days(182), observationDuration: .days(365))
        func same(_ written: String, _ value: CMAValue, _ what: String) {
            guard let number = value.number, number.isFinite else {
                #expect(written.isEmpty, "\(what): \(written) for \(value)")
                return
            }
            #expect(abs((Double(written) ?? .nan) - number) < 1e-11, "\(what): \(written) for \(number)")
        }
        for (patient, events) in patients {
            let episodes = try treatmentEpisodes(events: events, options: options)
            let written = episodeRows[patient] ?? []
            #expect(written.count == episodes.count, "patient \(patient)")
            for (row, episode) in zip(written, episodes) {
                #expect(row[1] == "\(episode.number)" && row[2] == episode.start.description
                        && row[3] == episode.endDay.description && row[5] == "\(episode.endGapDays)", "patient \(patient): \(row)")
                same(row[4], .value(episode.duration), "patient \(patient) duration")
            }
            let perEpisode = try cmaPerEpisode(.cma7, events: events, options: options)
            let perEpisodeWritten = perEpisodeRows[patient] ?? []
            #expect(perEpisodeWritten.count == perEpisode.count, "patient \(patient)")
            for (row, estimate) in zip(perEpisodeWritten, perEpisode) {
                #expect(row[2] == "\(estimate.episode.number)", "patient \(patient): \(row)")
                #expect(row[3] == Day(number: Int32(estimate.windowStart.rounded(.down))).description
                        && row[4] == Day(number: Int32(estimate.windowEnd.rounded(.down))).description, "patient \(patient): \(row)")
                same(row[5], estimate.value, "patient \(patient) CMA7 of episode \(estimate.episode.number)")
            }
            let windows = try cmaSlidingWindows(.cma1, events: events, options: options, length: 120, step: 120)
            let windowsWritten = windowRows[patient] ?? []
            #expect(windowsWritten.count == windows.count, "patient \(patient)")
            for (row, window) in zip(windowsWritten, windows) {
                #expect(row[2] == window.start.description && row[3] == window.end.description, "patient \(patient): \(row)")
                same(row[4], window.value, "patient \(patient) CMA1 of window \(window.number)")
            }
        }
    }
}
