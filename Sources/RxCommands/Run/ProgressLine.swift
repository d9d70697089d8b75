import Foundation
import Synchronization

/// A one-line progress display on standard error, shown only when standard error is a terminal
/// (logs and CI stay quiet). Updates at most every 100 ms.
final class ProgressLine: Sendable {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private let lastUpdate = Mutex<UInt64>(0)

    init(label: String, total: Int) {
        self.label = label
        self.total = total
        enabled = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let due = lastUpdate.withLock { last -> Bool in
            guard now - last >= 100_000_000 || done >= total else { return false }
            last = now
            return true
        }
        guard due else { return }
        let width = 30
        let filled = total == 0 ? width : min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
