import ArgumentParser
import Foundation
import NextToken
import NextTokenGGUF

/// `nexttoken inspect`: what a GGUF file holds.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model's architecture, hyper-parameters, tensor types and sizes, and tokenizer.")

    @OptionGroup var modelOptions: ModelOptions

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let model = try modelOptions.load()
        let report = InspectReport(model)
        if json {
            try JSONOutput.print(report)
            return
        }
        print("file: \(report.path)")
        print("architecture: \(report.architecture)   GGUF v\(report.gguf_version)")
        print("tokenizer: \(report.tokenizer)   vocabulary: \(report.vocabulary_size)")
        print("parameters: \(report.parameter_count)   tensor bytes: \(report.tensor_bytes)")
        print("\nmetadata:")
        for (key, value) in report.metadata.sorted(by: { $0.key < $1.key }) { print("  \(key) = \(value)") }
        print("\ntensor types:")
        for entry in report.tensor_types { print("  \(entry.type): \(entry.count) tensors, \(entry.bytes) bytes") }
    }
}

/// Everything `inspect` reports.
struct InspectReport: Encodable {
    struct TypeCount: Encodable {
        let type: String
        let count: Int
        let bytes: Int
    }

    let path: String
    let architecture: String
    let gguf_version: UInt32
    let tokenizer: String
    let vocabulary_size: Int
    let parameter_count: Int
    let tensor_bytes: Int
    let metadata: [String: String]
    let tensor_types: [TypeCount]

    init(_ model: Model) {
        let file = model.file
        path = model.path
        architecture = model.architecture
        gguf_version = file.version
        tokenizer = file.metadata["tokenizer.ggml.model"]?.string ?? "none"
        vocabulary_size = model.tokenizer.vocabularySize
        parameter_count = file.tensors.reduce(0) { $0 + $1.elementCount }
        tensor_bytes = file.tensors.reduce(0) { $0 + $1.byteCount }
        var metadata: [String: String] = [:]
        for key in file.metadata.keys {
            guard let value = file.metadata[key] else { continue }
            metadata[key] = Self.summary(value)
        }
        self.metadata = metadata
        var types: [String: (count: Int, bytes: Int)] = [:]
        for tensor in file.tensors {
            types[tensor.type.name, default: (0, 0)].count += 1
            types[tensor.type.name, default: (0, 0)].bytes += tensor.byteCount
        }
        tensor_types = types.sorted { $0.key < $1.key }.map { TypeCount(type: $0.key, count: $0.value.count, bytes: $0.value.bytes) }
    }

    /// A short rendering: arrays show their length and first elements, long strings are cut.
    static func summary(_ value: GGUFValue) -> String {
        if let array = value.array {
            let head = array.prefix(3).map(summary).joined(separator: ", ")
            return "[\(array.count) items: \(head)\(array.count > 3 ? ", …" : "")]"
        }
        if let string = value.string {
            return string.count > 80 ? "\"\(string.prefix(80))…\" (\(string.count) chars)" : "\"\(string)\""
        }
        if let bool = value.bool { return "\(bool)" }
        if let int = value.int { return "\(int)" }
        return value.double.map { "\($0)" } ?? "?"
    }
}
