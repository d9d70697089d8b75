import ArgumentParser
import Foundation
import RxLanguage

/// `rxrules new pack NAME`: scaffolds a pack folder that checks, tests and builds as it is.
public struct NewCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create new things from templates.",
        subcommands: [Pack.self]
    )

    public init() {}

    public struct Pack: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "pack",
            abstract: "Create rules/NAME/ with a manifest, a first rule, a test and its module file.",
            discussion: """
                NAME is lower-case words joined by hyphens, e.g. statin-adherence. The folder becomes its \
                own module (libStatinAdherence.so) on the next 'swift build'; no edit of Package.swift is needed.
                """)

        @ArgumentParser.Argument(help: "The pack name, e.g. statin-adherence.")
        public var name: String

        @Option(help: "The folder that holds packs.")
        public var rules: String = "rules"

        public init() {}

        public mutating func validate() throws {
            let allowed = name.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
            guard allowed, name.first.map({ ("a"..."z").contains($0) }) == true, !name.hasSuffix("-") else {
                throw ValidationError("a pack name is lower-case letters, digits and hyphens, starting with a letter: '\(name)'")
            }
        }

        public func run() throws {
            let folder = (rules as NSString).appendingPathComponent(name)
            guard !FileManager.default.fileExists(atPath: folder) else {
                printError("error: \(folder) already exists")
                throw ExitCode(ExitStatus.failure)
            }
            for (path, text) in NewPackTemplate.files(name: name) {
                let full = (folder as NSString).appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: full))
                print("created \(full)")
            }
            print("next: rxrules check \(folder) && rxrules test \(folder)")
            print("its module: swift build --manifest-cache none (SwiftPM caches the manifest; see docs/packs.md)")
        }
    }
}

/// The files of a new pack. They pass `rxrules check` and `rxrules test` unchanged.
enum NewPackTemplate {
    static func files(name: String) -> [(String, String)] {
        [
            ("pack.rules", """
                # \(name): describe what this pack measures or decides, and the method it follows.
                pack "\(name)" version "0.1.0"
                  title "\(name)"
                  engine ">= \(EngineVersion.current), < 1.0.0"
                  currency USD

                parameter measurement_period: Period = 2025-01-01 .. 2025-12-31
                parameter threshold: Decimal = 0.80

                valueset target_drugs = file "valuesets/target_drugs.csv" columns (code, ingredient)

                define target_fills = fills where ndc in target_drugs and fill_date in measurement_period
                define index_date = first(target_fills).fill_date
                define treatment = index_date .. measurement_period.end
                define on_hand = supply(target_fills,
                    overlap: shift_same_drug,
                    drug: target_drugs.ingredient,
                    carry_in: false)

                measure adherence "Proportion of days covered"
                  include when count_distinct(target_fills.fill_date) >= 2
                  value index_date = index_date
                  value covered_days = covered_days(on_hand, within: treatment)
                  value treatment_days = days(treatment)
                  value pdc = covered_days / treatment_days
                  value adherent = pdc >= threshold

                """),
            ("tests.rules", """
                test "two 90-day fills from 1 October cover the rest of the year" {
                  member birth_date 1960-01-01 sex F
                  fill 2025-10-01 ndc 00000000001 days 90
                  fill 2025-12-01 ndc 00000000001 days 90
                  expect adherence.treatment_days = 92 days
                  expect adherence.covered_days = 92 days
                  expect adherence.pdc = 1
                }

                """),
            ("valuesets/target_drugs.csv", """
                code,ingredient,description
                00000000001,example,an example product: replace with the real list

                """),
            ("Natives.swift", """
                import RxPackSupport

                /// Functions written in Swift that this pack's rules may call. This pack needs none.
                let packNativeFunctions: [PackNativeFunction] = []

                """),
        ]
    }
}
