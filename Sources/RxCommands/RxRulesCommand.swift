import ArgumentParser
import Foundation
import RxLanguage
import RxPacks

/// The `rxrules` host: one subcommand per job.
public struct RxRulesCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rxrules",
        abstract: "Check, format and evaluate pharmacy-benefit and adherence rule packs.",
        discussion: """
            Exit codes: 0 success; 1 the rules or the data have errors; 2 the command line is wrong.
            """,
        version: "rxrules \(EngineVersion.current) (pack ABI \(ModuleLoader.abiVersion))",
        subcommands: [
            CheckCommand.self,
            FormatCommand.self,
            TestCommand.self,
            RunCommand.self,
            ExplainCommand.self,
            SynthCommand.self,
            PacksCommand.self,
            NewCommand.self,
        ]
    )

    public init() {}

    /// Runs the command line with RxRules' exit codes: a usage error exits 2, not ArgumentParser's 64.
    public static func runWithExitCodes(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(ExitStatus.success)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                let message = fullMessage(for: error)
                FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            self.exit(withError: error)
        }
    }
}

/// Process exit statuses shared by every subcommand.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// The rules or the data have errors (diagnostics, rejects over budget, failed tests).
    public static let failure: Int32 = 1
    /// The command line is wrong.
    public static let usage: Int32 = 2
}
