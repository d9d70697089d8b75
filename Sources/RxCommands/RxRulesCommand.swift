import ArgumentParser

/// The `rxrules` host: one subcommand per job.
public struct RxRulesCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rxrules",
        abstract: "Check, format and evaluate pharmacy-benefit and adherence rule packs.",
        subcommands: [SynthCommand.self]
    )

    public init() {}
}
