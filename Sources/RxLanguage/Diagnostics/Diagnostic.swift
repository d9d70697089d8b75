/// How serious a diagnostic is.
public enum DiagnosticSeverity: String, Sendable, Equatable, Hashable, CaseIterable {
    /// The file cannot be used; commands exit with status 1.
    case error
    /// Probably a mistake, but the file can still be used.
    case warning
    /// Extra information attached to another diagnostic.
    case note
}

/// A stable identifier `domain.name` (for example `parse.expectedExpression`) that tools and tests can rely on.
public struct DiagnosticID: Hashable, Sendable, CustomStringConvertible {
    /// The phase that reports it: `parse`, `check`, ...
    public var domain: String
    /// The kind of problem, in lower camel case.
    public var name: String

    /// Builds an ID from its two parts.
    public init(domain: String, name: String) {
        self.domain = domain
        self.name = name
    }

    public var description: String { "\(domain).\(name)" }
}

/// The catalogued part of a diagnostic: its ID, default severity and text.
///
/// Each phase declares its messages as static members of this type (see `ParseMessages.swift`),
/// so call sites read `.expectedExpression(found: ...)` and no wording is ad hoc.
public struct DiagnosticMessage: Hashable, Sendable {
    /// Stable identifier.
    public var id: DiagnosticID
    /// Default severity.
    public var severity: DiagnosticSeverity
    /// One lowercase phrase without a trailing period, quoting offending names with '...'.
    public var text: String

    /// Builds a message.
    public init(id: DiagnosticID, severity: DiagnosticSeverity, text: String) {
        self.id = id
        self.severity = severity
        self.text = text
    }
}

/// A secondary location attached to a diagnostic ("'(' opened here").
public struct DiagnosticNote: Hashable, Sendable {
    /// Lowercase phrase, no period; purely locational notes end in "here".
    public var message: String
    /// Where the note points; nil for a note without a location.
    public var range: SourceRange?

    /// Builds a note.
    public init(_ message: String, at range: SourceRange?) {
        self.message = message
        self.range = range
    }
}

/// A single obvious edit that fixes a diagnostic: replace `range` with `replacement`.
public struct FixIt: Hashable, Sendable {
    /// What the edit does ("replace '==' with '='").
    public var message: String
    /// Bytes to replace (empty range to insert).
    public var range: SourceRange
    /// New text.
    public var replacement: String

    /// Builds a fix-it.
    public init(_ message: String, range: SourceRange, replacement: String) {
        self.message = message
        self.range = range
        self.replacement = replacement
    }
}

/// One finding of any phase (lexer, parser, checker, loader), located in a source file.
public struct Diagnostic: Hashable, Sendable {
    /// Stable identifier.
    public var id: DiagnosticID
    /// Severity (usually the message's default).
    public var severity: DiagnosticSeverity
    /// The headline.
    public var message: String
    /// The exact range the diagnostic is about (may be empty: an insertion point).
    public var range: SourceRange
    /// Related places.
    public var notes: [DiagnosticNote]
    /// A short suggestion in words ("did you mean 'define'?"); lowercase, no period.
    public var hint: String?
    /// A mechanical fix, only when it is the single obvious one.
    public var fixIt: FixIt?

    /// Builds a diagnostic from a catalogued message.
    public init(
        _ message: DiagnosticMessage, at range: SourceRange, notes: [DiagnosticNote] = [],
        hint: String? = nil, fixIt: FixIt? = nil
    ) {
        self.id = message.id
        self.severity = message.severity
        self.message = message.text
        self.range = range
        self.notes = notes
        self.hint = hint
        self.fixIt = fixIt
    }
}

extension Array where Element == Diagnostic {
    /// True when any diagnostic is an error.
    public var containsErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, then position, then ID: the order every renderer prints them in.
    public func sortedByLocation() -> [Diagnostic] {
        sorted {
            ($0.range.file.rawValue, $0.range.start, $0.id.domain, $0.id.name)
                < ($1.range.file.rawValue, $1.range.start, $1.id.domain, $1.id.name)
        }
    }
}
