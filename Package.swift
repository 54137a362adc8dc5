// swift-tools-version: 6.1
import PackageDescription

/// NextToken: a pure-Swift engine for next-token prediction on GGUF models.
///
/// Targets follow the data flow, and dependencies only point down:
/// Core <- GGUF, Kernels, Tokenizer, Sampling <- Model <- NextToken (engine API) <- CLI; ChatTemplate (on Core
/// alone) renders chat prompts for NextToken and the CLI.
/// ModelStore (fetching and verifying the catalog's models) sits beside them and is used by the CLI.
/// OpenAIAPI (request/response types) and Server (Hummingbird 2, `nexttoken serve`) sit between NextToken and CLI.
let package = Package(
    name: "NextToken",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "NextToken", targets: ["NextToken"]),
        .executable(name: "nexttoken", targets: ["NextTokenCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        .target(name: "NextTokenCore"),
        .testTarget(name: "NextTokenCoreTests", dependencies: ["NextTokenCore"]),
        .target(name: "NextTokenModelStore", dependencies: ["NextTokenCore"]),
        .testTarget(name: "NextTokenModelStoreTests", dependencies: ["NextTokenModelStore"]),
        .executableTarget(
            name: "NextTokenCLI",
            dependencies: [
                "NextToken",
                "NextTokenChatTemplate",
                "NextTokenModelStore",
                "NextTokenServer",
                "NextTokenProbes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "NextTokenGGUF", dependencies: ["NextTokenCore"]),
        .testTarget(
            name: "NextTokenGGUFTests",
            dependencies: ["NextTokenGGUF", "NextTokenTestSupport"]
        ),
        // Helpers for test targets only: model paths, shared test data, seeded randomness.
        .target(name: "NextTokenTestSupport", dependencies: ["NextTokenCore", "NextTokenGGUF"]),
        .testTarget(name: "NextTokenTestSupportTests", dependencies: ["NextTokenTestSupport"]),
        .target(name: "NextTokenChatTemplate", dependencies: ["NextTokenCore"]),
        .testTarget(
            name: "NextTokenChatTemplateTests",
            dependencies: ["NextTokenChatTemplate", "NextTokenGGUF", "NextTokenTestSupport"]
        ),
        .target(name: "NextTokenSampling", dependencies: ["NextTokenCore"]),
        .testTarget(
            name: "NextTokenSamplingTests", dependencies: ["NextTokenSampling", "NextTokenCore", "NextTokenTestSupport"]
        ),
        .target(name: "NextTokenTokenizer", dependencies: ["NextTokenCore", "NextTokenGGUF"]),
        .testTarget(
            name: "NextTokenTokenizerTests",
            dependencies: ["NextTokenTokenizer", "NextTokenGGUF", "NextTokenTestSupport"]
        ),
        // The kernels are written for 256-bit vectors; without this, x86_64 builds target SSE2 only
        // and run 2-3x slower. They use separate multiply and add (never fused), so results are
        // bit-identical on any CPU.
        .target(
            name: "NextTokenKernels",
            dependencies: ["NextTokenCore", "NextTokenKernelsAVX512"],
            swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux]))]
        ),
        // The hottest kernels again, for AVX-512 (16-float groups in one register); the kernels
        // call them only after checking that the CPU and OS support AVX-512. Same bits.
        .target(
            name: "NextTokenKernelsAVX512",
            swiftSettings: [.unsafeFlags(["-target-cpu", "skylake-avx512"], .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "NextTokenKernelsTests",
            dependencies: ["NextTokenKernels", "NextTokenCore", "NextTokenGGUF", "NextTokenTestSupport"]
        ),
        .target(name: "NextTokenModel", dependencies: ["NextTokenCore", "NextTokenGGUF", "NextTokenKernels"]),
        .testTarget(
            name: "NextTokenModelTests",
            dependencies: ["NextTokenModel", "NextTokenGGUF", "NextTokenKernels", "NextTokenTestSupport"]
        ),
        .target(name: "NextTokenSpeculation", dependencies: ["NextTokenCore"]),
        // Exact byte-level probabilities from tokenized models (design §6): prompts cut inside a
        // token, byte-level scoring and generation, ensembles across vocabularies.
        .target(
            name: "NextTokenByteLevel",
            dependencies: ["NextTokenCore", "NextTokenTokenizer", "NextTokenModel", "NextTokenKernels", "NextTokenSampling"]
        ),
        .testTarget(
            name: "NextTokenByteLevelTests",
            dependencies: ["NextTokenByteLevel", "NextTokenTokenizer", "NextTokenModel", "NextTokenTestSupport"]
        ),
        .testTarget(
            name: "NextTokenSpeculationTests",
            dependencies: ["NextTokenSpeculation", "NextTokenSampling", "NextTokenTestSupport"]
        ),
        // Analysis probes: tokenization consistency, RoPE locality and consistency, per-token features.
        .target(
            name: "NextTokenProbes",
            dependencies: [
                "NextTokenCore", "NextTokenGGUF", "NextTokenKernels", "NextTokenTokenizer", "NextTokenSampling",
                "NextTokenModel",
            ]
        ),
        .testTarget(
            name: "NextTokenProbesTests",
            dependencies: ["NextTokenProbes", "NextTokenGGUF", "NextTokenTestSupport"]
        ),
        .target(
            name: "NextToken",
            dependencies: [
                "NextTokenCore", "NextTokenGGUF", "NextTokenKernels", "NextTokenTokenizer", "NextTokenSampling",
                "NextTokenModel", "NextTokenModelStore", "NextTokenSpeculation", "NextTokenChatTemplate",
                "NextTokenByteLevel",
            ]
        ),
        // Counts a test executable's heap allocations: its allocation functions are exported from the
        // executable under the C library's names, so that they replace libc's for the whole process.
        .target(
            name: "NextTokenAllocationCounting",
            linkerSettings: [
                .unsafeFlags(
                    ["malloc", "calloc", "realloc", "memalign", "aligned_alloc", "posix_memalign"]
                        .flatMap { name in
                            ["-Xlinker", "--defsym=\(name)=nexttoken_counting_\(name)",
                             "-Xlinker", "--export-dynamic-symbol=\(name)"]
                        },
                    .when(platforms: [.linux]))
            ]
        ),
        .testTarget(
            name: "NextTokenTests",
            dependencies: [
                "NextToken", "NextTokenChatTemplate", "NextTokenGGUF", "NextTokenTestSupport", "NextTokenAllocationCounting",
            ]
        ),
        .testTarget(name: "NextTokenCLITests", dependencies: ["NextTokenCLI", "NextTokenTestSupport"]),
        .target(name: "NextTokenOpenAIAPI", dependencies: ["NextTokenCore"]),
        .target(
            name: "NextTokenServer",
            dependencies: [
                "NextToken", "NextTokenOpenAIAPI", "NextTokenChatTemplate",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "NextTokenServerTests",
            dependencies: [
                "NextTokenServer", "NextTokenOpenAIAPI", "NextToken", "NextTokenChatTemplate", "NextTokenTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Resources"]
        ),
    ]
)
