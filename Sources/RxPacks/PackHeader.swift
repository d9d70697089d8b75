import RxLanguage

/// The `pack` header of a pack folder's `pack.rules`, read without checking the whole pack.
struct PackHeader {
    var name: String?
    var version: String?
    var engineRange: String?

    static func read(_ folder: PackFolder) -> PackHeader {
        var header = PackHeader()
        guard let file = folder.file(at: "pack.rules") else { return header }
        let syntax = RulesParser.parse(SourceFile(path: folder.displayPath(of: file.relativePath), bytes: file.bytes)).syntax
        for declaration in syntax.declarations {
            guard case .pack(let pack) = declaration.kind else { continue }
            header.name = pack.name.value
            header.version = pack.version?.value
            for clause in pack.clauses {
                if case .engine(let range) = clause.kind { header.engineRange = range.value }
            }
            break
        }
        return header
    }
}
