/// A semantic version `major.minor.patch` with an optional `-prerelease` tag (SemVer 2.0.0 ordering).
public struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Incompatible changes.
    public var major: Int
    /// Compatible additions.
    public var minor: Int
    /// Fixes.
    public var patch: Int
    /// Dot-separated identifiers after `-`; empty for a release.
    public var prerelease: [String]

    public init(_ major: Int, _ minor: Int, _ patch: Int, prerelease: [String] = []) {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
    }

    /// Parses `1.2.3` or `1.2.3-rc.1` (build metadata after `+` is accepted and ignored).
    public init?(_ text: String) {
        var core = Substring(text)
        if let plus = core.firstIndex(of: "+") { core = core[..<plus] }
        var tags: [String] = []
        if let dash = core.firstIndex(of: "-") {
            tags = core[core.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard tags.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } })
            else { return nil }
            core = core[..<dash]
        }
        let parts = core.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var numbers: [Int] = []
        for part in parts {
            // No leading zeros, as SemVer requires; `2025` is fine.
            guard !part.isEmpty, part.allSatisfy(\.isASCIIDigit), part.count <= 9, part == "0" || part.first != "0",
                  let number = Int(part)
            else { return nil }
            numbers.append(number)
        }
        self.init(numbers[0], numbers[1], numbers[2], prerelease: tags)
    }

    public var description: String {
        "\(major).\(minor).\(patch)" + (prerelease.isEmpty ? "" : "-" + prerelease.joined(separator: "."))
    }

    public static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
        case (true, true), (true, false): return false
        case (false, true): return true
        case (false, false):
            for (a, b) in zip(lhs.prerelease, rhs.prerelease) where a != b {
                switch (Int(a), Int(b)) {
                case (let x?, let y?): return x < y
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a < b
                }
            }
            return lhs.prerelease.count < rhs.prerelease.count
        }
    }
}

/// A version requirement such as `>= 0.1.0, < 1.0.0`: every comparison must hold.
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    /// One comparison operator of a range.
    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case atLeast = ">=", above = ">", atMost = "<=", below = "<", exactly = "="
    }

    /// The comparisons, in the order written.
    public var bounds: [(Comparison, SemanticVersion)] {
        get { storage.map { ($0.comparison, $0.version) } }
    }

    private struct Bound: Sendable, Hashable {
        var comparison: Comparison
        var version: SemanticVersion
    }

    private var storage: [Bound]

    /// Parses comma-separated comparisons; a bare version means `=`. Nil for anything else.
    public init?(_ text: String) {
        var bounds: [Bound] = []
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            var rest = piece.trimmingCharacters(in: " ")
            guard !rest.isEmpty else { return nil }
            var comparison = Comparison.exactly
            for candidate in [Comparison.atLeast, .atMost, .above, .below, .exactly] where rest.hasPrefix(candidate.rawValue) {
                comparison = candidate
                rest = String(rest.dropFirst(candidate.rawValue.count)).trimmingCharacters(in: " ")
                break
            }
            guard let version = SemanticVersion(rest) else { return nil }
            bounds.append(Bound(comparison: comparison, version: version))
        }
        guard !bounds.isEmpty else { return nil }
        storage = bounds
    }

    /// Whether `version` satisfies every comparison.
    public func contains(_ version: SemanticVersion) -> Bool {
        storage.allSatisfy { bound in
            switch bound.comparison {
            case .atLeast: version >= bound.version
            case .above: version > bound.version
            case .atMost: version <= bound.version
            case .below: version < bound.version
            case .exactly: version == bound.version
            }
        }
    }

    public var description: String {
        storage.map { "\($0.comparison.rawValue) \($0.version)" }.joined(separator: ", ")
    }

    public static func == (lhs: VersionRange, rhs: VersionRange) -> Bool { lhs.storage == rhs.storage }
    public func hash(into hasher: inout Hasher) { hasher.combine(storage) }
}

/// The version of the rules engine that packs state compatibility with.
public enum EngineVersion {
    /// This engine's version.
    public static let current = SemanticVersion(0, 1, 0)
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var slice = self
        while slice.first == set { slice.removeFirst() }
        while slice.last == set { slice.removeLast() }
        return String(slice)
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String { Substring(self).trimmingCharacters(in: set) }
}
