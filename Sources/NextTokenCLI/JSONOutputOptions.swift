import ArgumentParser
import Foundation
import NextTokenModelStore

/// `--json`: print machine-readable results on standard output instead of a table.
struct JSONOutputOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON on standard output.")
    var json = false

    /// Prints `models` as a JSON array of `{name, path, bytes, sha256_ok}` objects.
    func printJSON(_ models: [CachedModel]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(models)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `models` as aligned columns: name, verification, size, path.
    func printTable(_ models: [CachedModel]) {
        let nameWidth = models.map(\.name.count).max() ?? 0
        for model in models {
            let name = model.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let status = model.sha256OK ? "ok      " : "MISMATCH"
            let size = String(format: "%7.1f MB", Double(model.bytes) / 1_000_000)
            print("\(name)  \(status)  \(size)  \(model.path)")
        }
    }
}
