import Foundation

/// Runs a helper program to completion with no standard input.
enum ChildProcess {
    /// Where the child's standard output and standard error go.
    enum Output {
        /// Discarded.
        case nullDevice
        /// The parent's standard error, so that standard output stays free for results.
        case standardError

        var handle: FileHandle {
            switch self {
            case .nullDevice: FileHandle.nullDevice
            case .standardError: FileHandle.standardError
            }
        }
    }

    /// Runs `executable` with `arguments` and returns its exit status (128 + signal when a signal ended it).
    static func run(_ executable: String, _ arguments: [String], output: Output) throws(ModelStoreError) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output.handle
        process.standardError = output.handle
        do {
            try process.run()
        } catch {
            throw .launchFailed(executable: executable, reason: error.localizedDescription)
        }
        process.waitUntilExit()
        switch process.terminationReason {
        case .exit: return process.terminationStatus
        case .uncaughtSignal: return 128 + process.terminationStatus
        @unknown default: return process.terminationStatus
        }
    }
}
