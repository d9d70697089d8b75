/// Turns diagnostics into text for people, tools and editors. Pure: it returns strings and never
/// prints, so the CLI and the pack build plugin render a diagnostic identically.
public struct DiagnosticRenderer: Sendable {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        /// `path:line:col: error: message`, the source line and a caret line under the exact range.
        case annotated
        /// Only the `path:line:col: severity: message` lines (notes included), for log parsers.
        case compact
        /// A JSON array of objects with file, line, column, endLine, endColumn, severity, id, message, notes.
        case json
    }

    /// Which format to produce.
    public var format: Format
    /// ANSI colours (annotated and compact only); the caller decides, e.g. from `--color auto|always|never`.
    public var colored: Bool
    /// Source lines longer than this many bytes are shown as a window around the range.
    public var maximumExcerptBytes: Int = 160

    /// Builds a renderer.
    public init(format: Format = .annotated, colored: Bool = false) {
        self.format = format
        self.colored = colored
    }

    /// Renders diagnostics in the given order; `files` resolves the file IDs in their ranges.
    public func render(_ diagnostics: [Diagnostic], files: [SourceFile]) -> String {
        var byID: [SourceFileID: SourceFile] = [:]
        for file in files { byID[file.id] = file }
        switch format {
        case .json:
            return renderJSON(diagnostics, files: byID)
        case .annotated, .compact:
            var output = ""
            for diagnostic in diagnostics { output += renderText(diagnostic, files: byID) }
            return output
        }
    }

    /// Renders diagnostics of a single file.
    public func render(_ diagnostics: [Diagnostic], in file: SourceFile) -> String {
        render(diagnostics, files: [file])
    }

    // MARK: Text

    private enum Style: String {
        case bold = "\u{1B}[1m"
        case red = "\u{1B}[1;31m"
        case yellow = "\u{1B}[1;33m"
        case cyan = "\u{1B}[1;36m"
        case green = "\u{1B}[1;32m"
        case blue = "\u{1B}[1;34m"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        colored ? style.rawValue + text + "\u{1B}[0m" : text
    }

    private func severityLabel(_ severity: DiagnosticSeverity) -> String {
        switch severity {
        case .error: paint("error:", .red)
        case .warning: paint("warning:", .yellow)
        case .note: paint("note:", .cyan)
        }
    }

    private func position(_ range: SourceRange, _ files: [SourceFileID: SourceFile]) -> String {
        guard let file = files[range.file] else { return "<\(range.file)>" }
        let location = file.location(of: range.start)
        return "\(file.path):\(location.line):\(location.column)"
    }

    private func renderText(_ diagnostic: Diagnostic, files: [SourceFileID: SourceFile]) -> String {
        var output = paint(position(diagnostic.range, files) + ":", .bold) + " " + severityLabel(diagnostic.severity)
            + " " + paint(diagnostic.message, .bold) + "\n"
        if format == .annotated, let file = files[diagnostic.range.file] {
            output += excerpt(file, diagnostic.range)
        }
        for note in diagnostic.notes {
            if let range = note.range {
                output += paint(position(range, files) + ":", .bold) + " " + severityLabel(.note) + " " + note.message + "\n"
                if format == .annotated, let file = files[range.file] { output += excerpt(file, range) }
            } else {
                output += severityLabel(.note) + " " + note.message + "\n"
            }
        }
        if let hint = diagnostic.hint {
            output += (format == .annotated ? "  = " : "") + paint("hint:", .blue) + " " + hint + "\n"
        }
        if let fixIt = diagnostic.fixIt {
            output += (format == .annotated ? "  = " : "") + paint("fix-it:", .blue) + " " + fixIt.message + "\n"
        }
        return output
    }

    /// The source line of `range.start` with a gutter, and a caret line underlining the range on that line.
    func excerpt(_ file: SourceFile, _ range: SourceRange) -> String {
        let location = file.location(of: range.start)
        let line = file.lineRange(location.line)
        let start = max(line.lowerBound, min(range.start, line.upperBound))
        let end = max(start, min(range.end, line.upperBound))
        var windowStart = line.lowerBound
        var windowEnd = line.upperBound
        if line.count > maximumExcerptBytes {
            let context = maximumExcerptBytes / 3
            windowStart = max(line.lowerBound, start - context)
            windowEnd = min(line.upperBound, max(end, start + 1) + context, start + 2 * context + context)
            // Do not cut a UTF-8 sequence in half.
            while windowStart > line.lowerBound, windowStart < file.bytes.count, file.bytes[windowStart] & 0xC0 == 0x80 {
                windowStart -= 1
            }
            while windowEnd < line.upperBound, file.bytes[windowEnd] & 0xC0 == 0x80 { windowEnd += 1 }
        }
        let highlightEnd = min(end, windowEnd)
        let prefix = displayText(file, windowStart..<start)
        let highlighted = displayText(file, start..<highlightEnd)
        let suffix = displayText(file, highlightEnd..<windowEnd)
        let leftMark = windowStart > line.lowerBound ? "…" : ""
        let rightMark = windowEnd < line.upperBound ? "…" : ""
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        let padding = String((leftMark + prefix).map { $0 == "\t" ? "\t" : " " })
        let marker = "^" + String(repeating: "~", count: max(0, highlighted.count - 1))
        return " " + paint(number + " |", .blue) + " " + leftMark + prefix + highlighted + suffix + rightMark + "\n"
            + " " + paint(gutter + " |", .blue) + " " + padding + paint(marker, .green) + "\n"
    }

    /// Source text for display: invalid UTF-8 and control characters (other than tab) become U+FFFD.
    private func displayText(_ file: SourceFile, _ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        let text = file.text(range)
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                result.append("\u{FFFD}")
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    // MARK: JSON

    private func renderJSON(_ diagnostics: [Diagnostic], files: [SourceFileID: SourceFile]) -> String {
        guard !diagnostics.isEmpty else { return "[]\n" }
        var items: [String] = []
        for diagnostic in diagnostics {
            var fields = locationFields(diagnostic.range, files)
            fields.append(("severity", quoted(diagnostic.severity.rawValue)))
            fields.append(("id", quoted(diagnostic.id.description)))
            fields.append(("message", quoted(diagnostic.message)))
            let notes = diagnostic.notes.map { note -> String in
                var noteFields: [(String, String)] = note.range.map { locationFields($0, files) } ?? []
                noteFields.append(("message", quoted(note.message)))
                return object(noteFields)
            }
            fields.append(("notes", "[" + notes.joined(separator: ", ") + "]"))
            if let hint = diagnostic.hint { fields.append(("hint", quoted(hint))) }
            if let fixIt = diagnostic.fixIt {
                var fixFields = locationFields(fixIt.range, files)
                fixFields.append(("message", quoted(fixIt.message)))
                fixFields.append(("replacement", quoted(fixIt.replacement)))
                fields.append(("fixIt", object(fixFields)))
            }
            items.append("  " + object(fields))
        }
        return "[\n" + items.joined(separator: ",\n") + "\n]\n"
    }

    private func locationFields(_ range: SourceRange, _ files: [SourceFileID: SourceFile]) -> [(String, String)] {
        guard let file = files[range.file] else {
            return [("file", quoted("<\(range.file)>")), ("line", "0"), ("column", "0"), ("endLine", "0"), ("endColumn", "0")]
        }
        let start = file.location(of: range.start)
        let end = file.location(of: range.end)
        return [
            ("file", quoted(file.path)), ("line", String(start.line)), ("column", String(start.column)),
            ("endLine", String(end.line)), ("endColumn", String(end.column)),
        ]
    }

    private func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    }

    private func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
