import RxValues

/// Field indexes in canonical order, one enum per kind, so decoders never spell field names twice.
enum PharmacyField: Int, CaseIterable {
    case claimID, memberID, fillDate, ndc, daysSupply, quantity, paidAmount, patientPay, status,
         rxNumber, fillNumber, pharmacyID, prescriberID
}

enum MedicalField: Int, CaseIterable { case claimID, memberID, fromDate, thruDate, setting, dxCodes, procCodes, paidAmount }
enum MemberField: Int, CaseIterable { case memberID, birthDate, sex, deathDate }
enum EnrollmentField: Int, CaseIterable { case memberID, planID, startDate, endDate }
enum ObservationField: Int, CaseIterable { case memberID, date, code, value, unit }

/// A field-level contract violation found while decoding one row.
struct FieldProblem: Error {
    var field: String
    var reason: String
}

/// Accumulates decoded records of every kind before grouping: codes and member ids interned.
struct RecordBuffers {
    var codes = CodeTable()
    /// member_id strings interned in first-seen order (the load index, remapped when grouping).
    var memberIDs = MemberIDTable()
    var members: [Member] = []
    /// For each load member index, its row in `members`, or -1.
    var memberRow: [Int32] = []
    var fills: [PharmacyClaim] = []
    var enrollments: [Enrollment] = []
    var medicalClaims: [MedicalClaim] = []
    var observations: [Observation] = []
    var codePool: [CodeID] = []
    /// Claim id bytes of pharmacy claims, back to back.
    var claimIDBytes: [UInt8] = []
    private var ndcIndex = NDCIndex()
    private var pharmacyCache = InternCache()
    private var prescriberCache = InternCache()
    private var diagnosisLists = CodeListCache()
    private var procedureLists = CodeListCache()
    /// False when no reader needs pharmacy and prescriber ids or prescription numbers: the ids are
    /// then not interned (two hashed lookups per claim saved), the numbers not kept (their bytes in
    /// the arena), and all read as absent. The numbers are still checked.
    var internsIdentifiers = true

    init(codes: CodeTable = CodeTable(), internsIdentifiers: Bool = true) {
        self.codes = codes
        self.internsIdentifiers = internsIdentifiers
    }

    private static let ndcScratch = 11

    // MARK: field parsers

    @inline(__always)
    private func required(_ row: FieldRow, _ index: Int, _ kind: RecordKind) throws(FieldProblem) -> UnsafeBufferPointer<UInt8> {
        let bytes = row.field(index)
        if bytes.isEmpty { throw FieldProblem(field: kind.fields[index], reason: "missing required field") }
        return bytes
    }

    @inline(__always)
    private func date(_ bytes: UnsafeBufferPointer<UInt8>, _ name: String) throws(FieldProblem) -> Day {
        guard let day = Day(bytes: bytes) else {
            throw FieldProblem(field: name, reason: "bad or impossible date '\(String(decoding: bytes, as: UTF8.self))'")
        }
        return day
    }

    @inline(__always)
    private func decimal(_ bytes: UnsafeBufferPointer<UInt8>, _ name: String, what: String) throws(FieldProblem) -> ExactDecimal {
        guard let value = ExactDecimal(bytes: bytes) else {
            throw FieldProblem(field: name, reason: "bad \(what) '\(String(decoding: bytes, as: UTF8.self))'")
        }
        return value
    }

    @inline(__always)
    private func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = Int(byte) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    @inline(__always)
    private mutating func member(_ bytes: UnsafeBufferPointer<UInt8>) -> MemberIndex {
        let id = memberIDs.intern(bytes: bytes)
        if Int(id) == memberRow.count { memberRow.append(-1) }
        return id
    }

    @inline(__always)
    private static func cachedCode(_ bytes: UnsafeBufferPointer<UInt8>, _ cache: inout InternCache,
                                   _ codes: inout CodeTable) -> CodeID {
        bytes.isEmpty ? -1 : cache.intern(bytes, in: &codes)
    }

    @inline(__always)
    private mutating func optionalCode(_ bytes: UnsafeBufferPointer<UInt8>) -> CodeID {
        bytes.isEmpty ? -1 : codes.intern(bytes: bytes)
    }

    private static func isEqual(_ bytes: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount else { return false }
        for index in 0..<bytes.count where bytes[index] != word.utf8Start[index] { return false }
        return true
    }

    // MARK: decoders (throw the first problem; the caller turns it into a reject)

    mutating func decodePharmacy(_ row: FieldRow, file: UInt16) throws(FieldProblem) -> PharmacyClaim {
        let kind = RecordKind.pharmacyClaims
        typealias F = PharmacyField
        let claimBytes = try required(row, F.claimID.rawValue, kind)
        guard claimBytes.count <= Int(UInt8.max) else {
            throw FieldProblem(field: "claim_id", reason: "claim_id is longer than 255 bytes")
        }
        let memberBytes = try required(row, F.memberID.rawValue, kind)
        let fillDate = try date(try required(row, F.fillDate.rawValue, kind), "fill_date")
        let ndcBytes = try required(row, F.ndc.rawValue, kind)
        let supplyBytes = try required(row, F.daysSupply.rawValue, kind)
        guard let supply = integer(supplyBytes), (1...365).contains(supply) else {
            throw FieldProblem(field: "days_supply",
                               reason: "days_supply '\(String(decoding: supplyBytes, as: UTF8.self))' is not a whole number in 1...365")
        }
        let quantity = try decimal(try required(row, F.quantity.rawValue, kind), "quantity", what: "quantity")
        guard quantity.units > 0 else {
            throw FieldProblem(field: "quantity", reason: "quantity \(quantity) is not greater than 0")
        }
        let paid = try decimal(try required(row, F.paidAmount.rawValue, kind), "paid_amount", what: "money")
        let patientBytes = row.field(F.patientPay.rawValue)
        let patientPay = patientBytes.isEmpty ? nil : try decimal(patientBytes, "patient_pay", what: "money")
        let statusBytes = row.field(F.status.rawValue)
        let status: ClaimStatus
        if statusBytes.isEmpty || RecordBuffers.isEqual(statusBytes, "paid") {
            status = .paid
        } else if RecordBuffers.isEqual(statusBytes, "reversed") {
            status = .reversed
        } else {
            throw FieldProblem(field: "status", reason: "unknown status '\(String(decoding: statusBytes, as: UTF8.self))' (paid or reversed)")
        }
        let fillBytes = row.field(F.fillNumber.rawValue)
        var fillNumber = -1
        if !fillBytes.isEmpty {
            guard let value = integer(fillBytes), value <= 99 else {
                throw FieldProblem(field: "fill_number", reason: "fill_number '\(String(decoding: fillBytes, as: UTF8.self))' is not a whole number in 0...99")
            }
            fillNumber = value
        }
        // NDC last among the checks that can fail, so a rejected row interns nothing.
        let ndc: CodeID
        if let key = NDCIndex.key(elevenDigits: ndcBytes) {
            ndc = ndcIndex.intern(key: key, digits: ndcBytes, in: &codes)
        } else {
            ndc = try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 11) { scratch throws(FieldProblem) -> CodeID in
                if let problem = NDC.normalize(ndcBytes, into: scratch.baseAddress!) {
                    throw FieldProblem(field: "ndc", reason: "\(problem.rawValue): '\(String(decoding: ndcBytes, as: UTF8.self))'")
                }
                return ndcIndex.intern(digits: UnsafeBufferPointer(scratch), in: &codes)
            }
        }
        let rxBytes = row.field(F.rxNumber.rawValue)
        guard rxBytes.count <= Int(UInt8.max) else {
            throw FieldProblem(field: "rx_number", reason: "rx_number is longer than 255 bytes")
        }
        let claimOffset = claimIDBytes.count
        guard claimOffset + claimBytes.count + rxBytes.count <= Int(UInt32.max) else {
            throw FieldProblem(field: "claim_id", reason: "more than 4 GiB of claim ids in one load: use a memory budget")
        }
        claimIDBytes.append(contentsOf: claimBytes)
        let keptRx = internsIdentifiers ? rxBytes.count : 0
        if keptRx > 0 { claimIDBytes.append(contentsOf: rxBytes) }
        return PharmacyClaim(
            claimIDOffset: UInt32(claimOffset), claimIDLength: UInt8(claimBytes.count), member: member(memberBytes),
            fillDate: fillDate,
            ndc: ndc, daysSupply: Int16(supply), quantity: quantity, paidAmount: paid, patientPay: patientPay,
            status: status, rxNumberLength: UInt8(keptRx), fillNumber: Int16(fillNumber),
            pharmacy: internsIdentifiers ? RecordBuffers.cachedCode(row.field(F.pharmacyID.rawValue), &pharmacyCache, &codes) : -1,
            prescriber: internsIdentifiers ? RecordBuffers.cachedCode(row.field(F.prescriberID.rawValue), &prescriberCache, &codes) : -1,
            line: Int32(clamping: row.line), sourceFile: file)
    }

    mutating func decodeMedical(_ row: FieldRow, file: UInt16) throws(FieldProblem) -> MedicalClaim {
        let kind = RecordKind.medicalClaims
        typealias F = MedicalField
        let claimBytes = try required(row, F.claimID.rawValue, kind)
        let memberBytes = try required(row, F.memberID.rawValue, kind)
        let from = try date(try required(row, F.fromDate.rawValue, kind), "from_date")
        let thru = try date(try required(row, F.thruDate.rawValue, kind), "thru_date")
        guard from <= thru else { throw FieldProblem(field: "thru_date", reason: "thru_date \(thru) is before from_date \(from)") }
        let settingBytes = try required(row, F.setting.rawValue, kind)
        guard let setting = Setting(bytes: settingBytes) else {
            throw FieldProblem(field: "setting", reason: "unknown setting '\(String(decoding: settingBytes, as: UTF8.self))'")
        }
        let paidBytes = row.field(F.paidAmount.rawValue)
        let paid = paidBytes.isEmpty ? nil : try decimal(paidBytes, "paid_amount", what: "money")
        // Codes are normalised and interned straight from the field's bytes (the hot path: no Strings).
        let start = Int32(codePool.count)
        let diagnosisCount = try cachedCodeList(row.field(F.dxCodes.rawValue), field: "dx_codes", dropDots: true)
        let procedureCount: Int
        do {
            procedureCount = try cachedCodeList(row.field(F.procCodes.rawValue), field: "proc_codes", dropDots: false)
        } catch {
            codePool.removeLast(diagnosisCount)
            throw error
        }
        guard diagnosisCount <= Int(UInt16.max), procedureCount <= Int(UInt16.max) else {
            codePool.removeLast(diagnosisCount + procedureCount)
            throw FieldProblem(field: "dx_codes", reason: "too many codes")
        }
        return MedicalClaim(
            claimID: String(decoding: claimBytes, as: UTF8.self), member: member(memberBytes), period: Period(from, thru),
            setting: setting, diagnosisStart: start, diagnosisCount: UInt16(diagnosisCount),
            procedureCount: UInt16(procedureCount), paidAmount: paid, line: Int32(clamping: row.line), sourceFile: file)
    }

    /// `internCodeList` through a cache of recent lists, one for diagnoses (`dropDots`) and one for
    /// procedures: the same pool contents and ids.
    @inline(__always)
    private mutating func cachedCodeList(
        _ field: UnsafeBufferPointer<UInt8>, field name: String, dropDots: Bool
    ) throws(FieldProblem) -> Int {
        guard !field.isEmpty else { return 0 }
        guard let key = CodeListCache.key(field) else { return try internCodeList(field, field: name, dropDots: dropDots) }
        let hit = dropDots ? diagnosisLists.append(key, to: &codePool) : procedureLists.append(key, to: &codePool)
        if let hit { return hit }
        let count = try internCodeList(field, field: name, dropDots: dropDots)
        let ids = codePool[(codePool.count - count)...]
        if dropDots { diagnosisLists.store(key, ids: ids) } else { procedureLists.store(key, ids: ids) }
        return count
    }

    /// Appends the codes of a `|`-separated list to the code pool, each upper-cased (and without dots
    /// for diagnoses), and returns how many. An empty field is no code; an empty or non-alphanumeric
    /// code is a problem, and nothing of the list stays in the pool.
    mutating func internCodeList(
        _ field: UnsafeBufferPointer<UInt8>, field name: String, dropDots: Bool
    ) throws(FieldProblem) -> Int {
        guard !field.isEmpty else { return 0 }
        var appended = 0
        var bad: Range<Int>?
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: field.count) { scratch in
            var partStart = 0
            var length = 0
            for index in 0...field.count {
                let byte: UInt8 = index < field.count ? field[index] : UInt8(ascii: "|")
                if byte == UInt8(ascii: "|") {
                    guard length > 0 else { bad = partStart..<index; return }
                    codePool.append(codes.intern(bytes: UnsafeBufferPointer(rebasing: scratch[0..<length])))
                    appended += 1
                    partStart = index + 1
                    length = 0
                    continue
                }
                if dropDots, byte == UInt8(ascii: ".") { continue }
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"): scratch[length] = byte
                case UInt8(ascii: "a")...UInt8(ascii: "z"): scratch[length] = byte - 32
                default:
                    var end = index
                    while end < field.count, field[end] != UInt8(ascii: "|") { end += 1 }
                    bad = partStart..<end
                    return
                }
                length += 1
            }
        }
        if let bad {
            codePool.removeLast(appended)
            let text = String(decoding: UnsafeBufferPointer(rebasing: field[bad]), as: UTF8.self)
            let what = dropDots ? "diagnosis" : "procedure"
            throw FieldProblem(field: name, reason: "bad \(what) code '\(text)'")
        }
        return appended
    }

    /// Decodes a member row; `duplicateAllowed` merges a repeat (DE-SynPUF yearly summaries) instead of rejecting it.
    mutating func decodeMember(_ row: FieldRow, mergeRepeats: Bool = false) throws(FieldProblem) -> Member? {
        let kind = RecordKind.members
        typealias F = MemberField
        let memberBytes = try required(row, F.memberID.rawValue, kind)
        let birth = try date(try required(row, F.birthDate.rawValue, kind), "birth_date")
        let sexBytes = try required(row, F.sex.rawValue, kind)
        guard let sex = Sex(bytes: sexBytes) else {
            throw FieldProblem(field: "sex", reason: "unknown sex '\(String(decoding: sexBytes, as: UTF8.self))' (F, M or U)")
        }
        let deathBytes = row.field(F.deathDate.rawValue)
        let death = deathBytes.isEmpty ? nil : try date(deathBytes, "death_date")
        if let death, death < birth { throw FieldProblem(field: "death_date", reason: "death_date \(death) is before birth_date \(birth)") }
        let index = member(memberBytes)
        let existing = memberRow[Int(index)]
        if existing >= 0 {
            guard mergeRepeats else {
                throw FieldProblem(field: "member_id", reason: "duplicate member '\(String(decoding: memberBytes, as: UTF8.self))'")
            }
            if members[Int(existing)].deathDate == nil, let death { members[Int(existing)].deathDate = death }
            return nil
        }
        let record = Member(memberID: String(decoding: memberBytes, as: UTF8.self), birthDate: birth, sex: sex, deathDate: death)
        memberRow[Int(index)] = Int32(members.count)
        members.append(record)
        return record
    }

    mutating func decodeEnrollment(_ row: FieldRow, file: UInt16) throws(FieldProblem) -> Enrollment {
        let kind = RecordKind.enrollment
        typealias F = EnrollmentField
        let memberBytes = try required(row, F.memberID.rawValue, kind)
        let planBytes = try required(row, F.planID.rawValue, kind)
        let start = try date(try required(row, F.startDate.rawValue, kind), "start_date")
        let end = try date(try required(row, F.endDate.rawValue, kind), "end_date")
        guard start <= end else { throw FieldProblem(field: "end_date", reason: "end_date \(end) is before start_date \(start)") }
        return Enrollment(member: member(memberBytes), plan: codes.intern(bytes: planBytes), period: Period(start, end),
                          line: Int32(clamping: row.line))
    }

    mutating func decodeObservation(_ row: FieldRow, file: UInt16) throws(FieldProblem) -> Observation {
        let kind = RecordKind.observations
        typealias F = ObservationField
        let memberBytes = try required(row, F.memberID.rawValue, kind)
        let day = try date(try required(row, F.date.rawValue, kind), "date")
        let codeBytes = try required(row, F.code.rawValue, kind)
        let valueBytes = try required(row, F.value.rawValue, kind)
        let value: ObservationValue
        if let number = ExactDecimal(bytes: valueBytes) {
            value = .number(number)
        } else {
            value = .text(codes.intern(bytes: valueBytes))
        }
        return Observation(member: member(memberBytes), date: day, code: codes.intern(bytes: codeBytes), value: value,
                           unit: optionalCode(row.field(F.unit.rawValue)), line: Int32(clamping: row.line), sourceFile: file)
    }
}
