import ArgumentParser
import RxSynth

/// `rxrules synth`: writes synthetic members, coverage, claims and observations in the canonical layout.
public struct SynthCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate synthetic claims data with realistic adherence behaviour.",
        discussion: """
            Writes members.csv, enrollment.csv, pharmacy_claims.csv, medical_claims.csv and \
            observations.csv in the canonical layout, the value sets of the synthetic NDC catalogue \
            under valuesets/, and MANIFEST.txt. The same seed and member count give byte-identical \
            files on any machine and with any thread count. History covers the measurement year and \
            the year before it. With --corrupt-rate, that fraction of rows is broken on purpose \
            (impossible dates, days_supply 0 or 400, malformed money, missing fields, wrong column \
            counts, invalid UTF-8, orphan reversals, duplicate members, unknown settings) and one \
            unterminated quote ends pharmacy_claims.csv and observations.csv.
            """
    )

    @Option(name: .long, help: "Number of members (1...99999999).")
    var members: Int

    @Option(name: .long, help: "Random seed (an unsigned 64-bit integer).")
    var seed: UInt64

    @Option(name: .long, help: ArgumentHelp("Output folder, created if missing.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: "Measurement year; history starts on 1 January of the year before.")
    var year: Int = 2025

    @Option(name: .customLong("corrupt-rate"), help: ArgumentHelp(
        "Fraction of rows to corrupt, as a decimal (e.g. 0.001).", valueName: "rate"))
    var corruptRate: String = "0"

    @Option(name: .long, help: "Worker threads (default: all cores); the output does not depend on it.")
    var threads: Int?

    public init() {}

    /// The validated generator configuration these options describe.
    func synthConfiguration() throws -> SynthConfiguration {
        do {
            let rate = try SynthConfiguration.corruptionPerMillion(parsing: corruptRate)
            return try SynthConfiguration(
                members: members, seed: seed, measurementYear: year, corruptionPerMillion: rate,
                threads: threads ?? SynthCommand.defaultThreads
            ).validated()
        } catch {
            throw ValidationError(error.description)
        }
    }

    static var defaultThreads: Int { max(1, min(64, activeProcessorCount())) }

    /// Rejects out-of-range values before anything is written, with this command's usage.
    public func validate() throws {
        _ = try synthConfiguration()
    }

    public func run() throws {
        let configuration = try synthConfiguration()
        let summary: SynthSummary
        do {
            summary = try SynthGenerator(configuration: configuration).write(toDirectory: out)
        } catch {
            throw SynthCommandFailure(message: error.description)
        }
        print(SynthCommand.report(summary: summary, folder: out), terminator: "")
    }

    /// The text printed after a run: files with row counts, then the planted behaviour mix.
    static func report(summary: SynthSummary, folder: String) -> String {
        var text = "wrote \(folder)\n"
        for file in SynthFile.allCases {
            let corrupted = summary.corruptedRows(file)
            let note = corrupted > 0 ? " (\(corrupted) corrupted)" : ""
            text += "  \(pad(file.fileName, 22))\(pad(String(summary.rows(file)), 10, left: true)) rows\(note)\n"
        }
        text += "  valuesets/ \(DrugValueSet.allCases.map(\.fileName).joined(separator: " "))\n"
        text += "  \(SynthGenerator.manifestFileName)\n"
        text += "behaviour mix:\n"
        for feature in SynthFeature.allCases {
            text += "  \(pad(String(summary.count(feature)), 10, left: true))  \(feature)\n"
        }
        let corruptions = Corruption.allCases.filter { summary.count($0) > 0 }
        if !corruptions.isEmpty {
            text += "corrupted rows:\n"
            for corruption in corruptions {
                text += "  \(pad(String(summary.count(corruption)), 10, left: true))  \(corruption)\n"
            }
        }
        return text
    }

    private static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? padding + text : text + padding
    }
}

/// A run that could not write its output; the message names the path.
struct SynthCommandFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
