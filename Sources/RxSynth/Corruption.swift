/// Corrupts rows on purpose, at a rate, from its own random stream.
///
/// A corrupted row is either replaced (bad date, bad number, missing or extra field, bad bytes) or
/// followed by an extra bad row (duplicate member, orphan reversal). The stream is separate from the
/// behaviour stream, so every row that is not corrupted is the same as in clean data.
struct CorruptionStream {
    var random: SynthRandom
    let perMillion: Int

    /// The ways each file's rows are broken; each breaks the data-model contract exactly once.
    static func kinds(for file: SynthFile) -> [Corruption] {
        switch file {
        case .members: [.impossibleDate, .missingRequiredField, .wrongColumnCount, .duplicateMember]
        case .enrollment: [.impossibleDate, .missingRequiredField, .wrongColumnCount]
        case .pharmacyClaims:
            [.impossibleDate, .daysSupplyZero, .daysSupplyOver365, .malformedMoney, .missingRequiredField,
             .wrongColumnCount, .invalidUTF8, .orphanReversal]
        case .medicalClaims: [.impossibleDate, .malformedMoney, .missingRequiredField, .wrongColumnCount, .unknownSetting]
        case .observations: [.impossibleDate, .missingRequiredField, .wrongColumnCount]
        }
    }

    /// Column of the date that an impossible-date corruption replaces.
    private static func dateColumn(_ file: SynthFile) -> Int {
        switch file {
        case .members, .observations: 1
        case .enrollment, .pharmacyClaims, .medicalClaims: 2
        }
    }

    /// Required columns that a missing-field corruption may empty.
    private static func requiredColumns(_ file: SynthFile) -> [Int] {
        switch file {
        case .members: [1, 2]
        case .enrollment: [1, 3]
        case .pharmacyClaims: [1, 3, 4]
        case .medicalClaims: [2, 4]
        case .observations: [2, 3]
        }
    }

    /// Decides whether the row just written to `file` is corrupted, and corrupts it if so.
    mutating func finishRow(_ file: SynthFile, in block: inout SynthBlock) {
        guard perMillion > 0, random.chance(perMillion: perMillion) else { return }
        let start = block.rowStart[file.rawValue]
        var buffer = block.buffers[file.rawValue]
        block.buffers[file.rawValue] = []  // keep the buffer uniquely referenced while editing
        let original = Array(buffer[start..<(buffer.count - 1)])
        var fields = original.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map(Array.init)
        let kind = random.pick(CorruptionStream.kinds(for: file))
        var extraRow: [[UInt8]]?
        switch kind {
        case .impossibleDate:
            let column = CorruptionStream.dateColumn(file)
            let year = fields[column].prefix(4)
            fields[column] = Array(year) + Array(random.pick(["-02-30", "-04-31", "-13-01", "-00-10"]).utf8)
        case .daysSupplyZero:
            fields[4] = Array("0".utf8)
        case .daysSupplyOver365:
            fields[4] = Array("400".utf8)
        case .malformedMoney:
            fields[fields.count - (file == .pharmacyClaims ? 7 : 1)] = Array("12.3.4".utf8)
        case .missingRequiredField:
            fields[random.pick(CorruptionStream.requiredColumns(file))] = []
        case .wrongColumnCount:
            if random.chance(perMille: 500) { fields.removeLast() } else { fields.append(Array("extra".utf8)) }
        case .invalidUTF8:
            fields[11] = [UInt8(ascii: "P"), UInt8(ascii: "H"), 0xFF, 0xFE, 0xC3]
        case .unknownSetting:
            fields[4] = Array("clinic".utf8)
        case .orphanReversal:
            // A reversal whose claim id no paid row carries.
            var orphan = fields
            orphan[0] = Array("X".utf8) + fields[0]
            orphan[8] = Array("reversed".utf8)
            extraRow = orphan
        case .duplicateMember:
            extraRow = fields
        case .unterminatedQuote:
            break  // written once at the end of a file by the generator, never per row
        }
        if let extraRow {
            buffer.append(contentsOf: extraRow.joined(separator: [UInt8(ascii: ",")]))
            buffer.append(UInt8(ascii: "\n"))
            block.summary.addRow(file)
        } else {
            buffer.removeSubrange(start...)
            buffer.append(contentsOf: fields.joined(separator: [UInt8(ascii: ",")]))
            buffer.append(UInt8(ascii: "\n"))
        }
        block.buffers[file.rawValue] = buffer
        block.summary.addCorrupted(file, kind)
    }
}
