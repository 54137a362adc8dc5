import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NextTokenTestSupport
import Testing

@Suite("nexttoken serve (server command)", .serialized)
struct ServeCommandTests {
    @Test("serve --help lists the server options")
    func help() throws {
        let result = try CLIRunner.run(["serve", "--help"])
        #expect(result.status == 0)
        for option in ["--model", "--host", "--port", "--parallel", "--max-queue", "--ctx", "--api-key"] {
            #expect(result.text.contains(option), "missing \(option)")
        }
    }

    @Test("invalid options end with a message and a non-zero status", arguments: [
        ["--parallel", "0"], ["--port", "70000"], ["--max-queue", "-1"], ["--ctx", "1"], ["--api-key", ""],
    ])
    func invalidOptions(arguments: [String]) throws {
        let result = try CLIRunner.run(["serve"] + arguments)
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty)
    }

    @Test("serves on an ephemeral port, answers /health and /v1/models, and exits 0 on SIGTERM")
    func servesAndStops() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nexttoken-serve-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let modelURL = directory.appendingPathComponent("tiny-llama.gguf")
        try Data(SyntheticLlama().bytes()).write(to: modelURL)

        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["serve", "--model", modelURL.path, "--port", "0"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The first stderr line naming the address tells the port.
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while !text.contains("listening on http://"), Date() < deadline {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        let line = try #require(text.split(separator: "\n").first { $0.contains("listening on http://") })
        let address = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") })
        #expect(address.hasPrefix("http://127.0.0.1:"))
        #expect(line.contains("models: tiny-llama"))

        let (health, healthResponse) = try await URLSession.shared.data(from: try #require(URL(string: "\(address)/health")))
        #expect((healthResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: health, as: UTF8.self).contains("ok"))
        let (models, _) = try await URLSession.shared.data(from: try #require(URL(string: "\(address)/v1/models")))
        #expect(String(decoding: models, as: UTF8.self).contains("\"id\":\"tiny-llama\""))

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
