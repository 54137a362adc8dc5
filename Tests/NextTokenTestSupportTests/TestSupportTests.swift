import Foundation
import NextTokenTestSupport
import Testing

@Suite("Test support helpers")
struct TestSupportTests {
    @Test("shared data is found beside the package root")
    func sharedData() {
        #expect(FileManager.default.fileExists(atPath: SharedData.packageRoot.appendingPathComponent("Package.swift").path))
        #expect(FileManager.default.fileExists(atPath: SharedData.url("design/style.md").path))
        #expect(SharedData.root.lastPathComponent == "shared")
    }

    @Test("unknown model names have no path and are an error, never a skip")
    func unknownModel() {
        #expect(TestModels.path(for: "no-such-model") == nil)
        #expect(throws: TestModelError.self) { try TestModels.requireOrSkip("no-such-model") }
    }

    @Test("model paths live in the models directory under their file names")
    func modelPaths() {
        #expect(TestModels.directory.hasSuffix("/models"))
        for name in ["smollm2", "gemma3"] {
            if let path = TestModels.path(for: name) {
                #expect(path == TestModels.directory + "/" + (TestModels.fileNames[name] ?? ""))
            }
        }
    }

    @Test("the seeded generator is splitmix64 and repeats for a seed")
    func seededGenerator() {
        var zero = SeededGenerator(seed: 0)
        #expect(zero.next() == 0xE220_A839_7B1D_CDAF)
        #expect(zero.next() == 0x6E78_9E6A_A1B9_65F4)
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        #expect((0..<8).map { _ in a.next() } == (0..<8).map { _ in b.next() })
    }
}
