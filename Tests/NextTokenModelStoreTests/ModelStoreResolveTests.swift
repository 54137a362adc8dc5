import Foundation
import NextTokenModelStore
import Testing

@Suite("ModelStore: home folder and resolve")
struct ModelStoreResolveTests {
    @Test("NEXTTOKEN_HOME moves the cache; the default is ~/.cache/nexttoken")
    func homeFolder() {
        #expect(ModelStore.home(environment: ["NEXTTOKEN_HOME": "/srv/nt", "HOME": "/home/u"]) == "/srv/nt")
        #expect(ModelStore.home(environment: ["NEXTTOKEN_HOME": "", "HOME": "/home/u"]) == "/home/u/.cache/nexttoken")
        #expect(ModelStore.home(environment: ["HOME": "/home/u"]) == "/home/u/.cache/nexttoken")
        let store = ModelStore(environment: ["NEXTTOKEN_HOME": "/srv/nt"])
        #expect(store.modelsDirectory == "/srv/nt/models")
        #expect(store.catalog.names == ModelCatalog.standard.names)
    }

    @Test("a short name that is not cached names the fetch command")
    func notCached() throws {
        try StoreFixture.withTemporaryHome { home in
            let store = ModelStore(environment: ["NEXTTOKEN_HOME": home])
            let expectedPath = home + "/models/gemma-3-270m-q4_k_m.gguf"
            #expect(throws: ModelStoreError.notCached(name: "gemma3", expectedPath: expectedPath)) {
                try store.resolve("gemma3")
            }
            let message = ModelStoreError.notCached(name: "gemma3", expectedPath: expectedPath).description
            #expect(message == "model 'gemma3' is not cached; run `nexttoken models fetch gemma3`")
        }
    }

    @Test("an existing file is used as is")
    func existingPath() throws {
        try StoreFixture.withTemporaryHome { home in
            let store = ModelStore(environment: ["NEXTTOKEN_HOME": home])
            let file = home + "/my model.gguf"
            try Data("GGUF".utf8).write(to: URL(fileURLWithPath: file))
            #expect(try store.resolve(file) == file)
        }
    }

    @Test("a name that is neither a file nor in the catalog, or a folder, is unknown")
    func unknownName() throws {
        try StoreFixture.withTemporaryHome { home in
            let store = ModelStore(environment: ["NEXTTOKEN_HOME": home])
            #expect(throws: ModelStoreError.unknownModel("llama9", known: ["smollm2", "gemma3"])) {
                try store.resolve("llama9")
            }
            #expect(throws: ModelStoreError.unknownModel(home, known: ["smollm2", "gemma3"])) {
                try store.resolve(home)
            }
        }
    }

    @Test("a cached short name maps to its file without downloading")
    func cachedName() throws {
        try StoreFixture.withTemporaryHome { home in
            let source = StoreFixture.makeSource()
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: source)
            let path = try StoreFixture.place(StoreFixture.partTwo, as: "other", in: store)
            #expect(try store.resolve("other") == path)
            #expect(path == home + "/models/other.gguf")
            #expect(source.calls.isEmpty)
        }
    }

    @Test("nil means the default model, used as is when cached")
    func defaultCached() throws {
        try StoreFixture.withTemporaryHome { home in
            let source = StoreFixture.makeSource()
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: source)
            let path = try StoreFixture.place(StoreFixture.modelBytes, as: "tiny", in: store)
            #expect(try store.resolve(nil, progress: { _ in }) == path)
            #expect(source.calls.isEmpty)
        }
    }

    @Test("nil fetches the default model on first use")
    func defaultFetchedOnFirstUse() throws {
        try StoreFixture.withTemporaryHome { home in
            let source = StoreFixture.makeSource()
            let store = ModelStore(home: home, catalog: StoreFixture.catalog(), wheelSource: source)
            let path = try store.resolve(nil, progress: { _ in })
            #expect(path == home + "/models/tiny.gguf")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(StoreFixture.modelBytes))
            #expect(source.calls.contains("extract tiny/part01"))
        }
    }
}
