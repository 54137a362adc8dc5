import Foundation
import Testing

/// Locates the real GGUF models that tests read, and decides what a missing one means.
///
/// Models live in `$NEXTTOKEN_HOME/models` (default `~/.cache/nexttoken/models`). A missing
/// model skips the test with a printed notice on a developer's machine, and fails it when
/// `NEXTTOKEN_REQUIRE_MODELS=1` (as CI sets), so a suite never passes by silently not running.
public enum TestModels {
    /// File names of the known models, by short name.
    public static let fileNames: [String: String] = [
        "smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf",
        "gemma3": "gemma-3-270m-q4_k_m.gguf",
    ]

    /// The directory models are read from.
    public static var directory: String {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["NEXTTOKEN_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSString(string: "~/.cache/nexttoken").expandingTildeInPath
        return home + "/models"
    }

    /// Whether a missing model must fail the test instead of skipping it.
    public static var modelsRequired: Bool {
        ProcessInfo.processInfo.environment["NEXTTOKEN_REQUIRE_MODELS"] == "1"
    }

    /// The path of model `name` (`"smollm2"`, `"gemma3"`) if the file exists, else `nil`.
    public static func path(for name: String) -> String? {
        guard let fileName = fileNames[name] else { return nil }
        let path = directory + "/" + fileName
        return FileManager.default.isReadableFile(atPath: path) ? path : nil
    }

    /// The path of model `name`; if the file is missing, skips the current test with a printed
    /// notice, or fails it when ``modelsRequired``.
    /// - Throws: ``TestModelError`` for an unknown name or a required missing model; the
    ///   cancellation error of Swift Testing when skipping.
    public static func requireOrSkip(_ name: String) throws -> String {
        guard let fileName = fileNames[name] else { throw TestModelError.unknownModel(name) }
        if let path = path(for: name) { return path }
        let expected = directory + "/" + fileName
        if modelsRequired { throw TestModelError.missing(name: name, path: expected) }
        let notice = "skipping: model \(name) not found at \(expected) "
            + "(set NEXTTOKEN_REQUIRE_MODELS=1 to make this a failure)"
        print("◇ \(notice)")
        try Test.cancel(Comment(rawValue: notice))
    }
}

/// Why a test could not get the model it asked for.
public enum TestModelError: Error, CustomStringConvertible {
    /// The name is not one of ``TestModels/fileNames``.
    case unknownModel(String)
    /// The model is missing and `NEXTTOKEN_REQUIRE_MODELS=1` demands it.
    case missing(name: String, path: String)

    public var description: String {
        switch self {
        case .unknownModel(let name):
            "unknown test model \(name); known: \(TestModels.fileNames.keys.sorted().joined(separator: ", "))"
        case .missing(let name, let path):
            "model \(name) is required (NEXTTOKEN_REQUIRE_MODELS=1) but missing at \(path)"
        }
    }
}
