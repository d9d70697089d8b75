import RxValues

/// What to generate: how many members, from which seed, for which measurement year.
public struct SynthConfiguration: Sendable, Equatable {
    /// Number of members, 1...99_999_999 (member ids are `M` and eight digits).
    public var members: Int
    /// The seed: the same seed and member count give byte-identical files.
    public var seed: UInt64
    /// The measurement year; history starts on 1 January of the year before.
    public var measurementYear: Int
    /// Probability, in parts per million, that a row is corrupted (0 for clean data).
    public var corruptionPerMillion: Int
    /// Worker threads; the output does not depend on it.
    public var threads: Int

    /// Largest member count: member ids have eight digits.
    public static let maximumMembers = 99_999_999

    /// A configuration; call `validated()` before use when the values come from a user.
    public init(members: Int, seed: UInt64, measurementYear: Int = 2025, corruptionPerMillion: Int = 0,
                threads: Int = 1) {
        self.members = members
        self.seed = seed
        self.measurementYear = measurementYear
        self.corruptionPerMillion = corruptionPerMillion
        self.threads = threads
    }

    /// The configuration itself, or an error naming the first value out of range.
    public func validated() throws(SynthError) -> SynthConfiguration {
        guard (1...SynthConfiguration.maximumMembers).contains(members) else {
            throw .outOfRange(option: "members", value: String(members), allowed: "1...99999999")
        }
        guard (1902...9000).contains(measurementYear) else {
            throw .outOfRange(option: "year", value: String(measurementYear), allowed: "1902...9000")
        }
        guard (0...500_000).contains(corruptionPerMillion) else {
            throw .outOfRange(option: "corrupt-rate", value: "\(corruptionPerMillion) per million",
                              allowed: "0...0.5")
        }
        guard (1...256).contains(threads) else {
            throw .outOfRange(option: "threads", value: String(threads), allowed: "1...256")
        }
        return self
    }

    /// Parses a corruption rate written as a decimal fraction (`0.001`) into parts per million,
    /// rounded half-even; exact decimal arithmetic so that every machine reads the same rate.
    public static func corruptionPerMillion(parsing text: String) throws(SynthError) -> Int {
        guard let rate = ExactDecimal(text), !rate.isNegative,
              let scaled = rate.multiplying(ExactDecimal(1_000_000))?.rounded(scale: 0, rounding: .halfEven),
              scaled.units <= 500_000
        else { throw .outOfRange(option: "corrupt-rate", value: text, allowed: "a decimal in 0...0.5") }
        return Int(scaled.units)
    }
}

/// Why generation could not run: a bad option value or a file that could not be written.
public struct SynthError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case outOfRange(option: String, value: String, allowed: String)
        case cannotWrite(path: String, reason: String)
    }

    private let kind: Kind

    /// An option value outside its allowed range.
    public static func outOfRange(option: String, value: String, allowed: String) -> SynthError {
        SynthError(kind: .outOfRange(option: option, value: value, allowed: allowed))
    }

    /// A file or folder that could not be created or written.
    public static func cannotWrite(path: String, reason: String) -> SynthError {
        SynthError(kind: .cannotWrite(path: path, reason: reason))
    }

    public var description: String {
        switch kind {
        case let .outOfRange(option, value, allowed):
            "'--\(option)' value '\(value)' is out of range; allowed: \(allowed)"
        case let .cannotWrite(path, reason):
            "cannot write '\(path)': \(reason)"
        }
    }
}
