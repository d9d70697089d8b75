import Foundation
import RxLanguage

extension PackSource {
    /// The module name SwiftPM gives a pack folder: `pqa-adherence` → `PqaAdherence` (`libPqaAdherence.so`).
    public static func moduleName(forFolder folder: String) -> String {
        let words = folder.split { !$0.isLetter && !$0.isNumber }
        let name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return name.first?.isLetter == true ? name : "Pack" + name
    }

    /// Binds the native functions a pack declares to their implementations.
    ///
    /// A module must register every declared function with the declared types, and nothing else.
    /// A folder pack that declares natives takes them from its compiled module, looked up in
    /// `moduleDirectories` (the host's own folder by default), whose content must equal the folder's.
    public static func bindNatives(
        _ pack: LoadedPack, declared: [String: NativeSignature], moduleDirectories: [String]
    ) throws(PackRefusal) -> [String: NativeImplementation] {
        if declared.isEmpty, pack.nativeFunctions.isEmpty { return [:] }
        var source = pack
        if case .folder(let folderPath) = pack.origin, !declared.isEmpty {
            let file = "lib\(moduleName(forFolder: pack.folder.name)).so"
            guard let modulePath = moduleDirectories.map({ ($0 as NSString).appendingPathComponent(file) })
                .first(where: { FileManager.default.fileExists(atPath: $0) })
            else {
                throw PackRefusal(path: folderPath, reason: .nativesNeedModule(names: declared.keys.sorted(), module: file))
            }
            let module = try load(modulePath)
            guard module.contentHash == pack.contentHash else {
                throw PackRefusal(
                    path: folderPath,
                    reason: .sourceDiffersFromModule(
                        name: pack.name, folderHash: pack.contentHash, moduleHash: module.contentHash, other: modulePath))
            }
            source = module
        }
        let path = source.origin.path
        var bound: [String: NativeImplementation] = [:]
        for registered in source.nativeFunctions {
            guard let signature = declared[registered.name] else {
                throw PackRefusal(path: path, reason: .nativeMismatch(name: registered.name, detail: "is registered but not declared with 'native'"))
            }
            guard registered.matches(signature) else {
                let found = registered.arguments.map { "\($0.kind.ruleType)" }.joined(separator: ", ")
                throw PackRefusal(
                    path: path,
                    reason: .nativeMismatch(
                        name: registered.name,
                        detail: "is registered as (\(found)) returns \(registered.result.ruleType), declared as ("
                            + signature.parameters.map { "\($0.type)" }.joined(separator: ", ") + ") returns \(signature.result)"))
            }
            bound[registered.name] = registered.implementation
        }
        for name in declared.keys.sorted() where bound[name] == nil {
            throw PackRefusal(path: path, reason: .nativeMismatch(name: name, detail: "is declared but the module does not register it"))
        }
        return bound
    }

    /// The folder of the running executable: where `swift build` puts the pack modules beside `rxrules`.
    public static var hostDirectory: String {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        return executable.deletingLastPathComponent().path
    }
}
