// swift-tools-version: 6.1
import PackageDescription

/// NextToken: a pure-Swift engine for next-token prediction on GGUF models.
///
/// Targets follow the data flow, and dependencies only point down:
/// Core <- GGUF, Kernels, Tokenizer, Sampling <- Model <- NextToken (engine API) <- CLI.
/// ModelStore (fetching and verifying the catalog's models) sits beside them and is used by the CLI.
let package = Package(
    name: "NextToken",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "NextToken", targets: ["NextToken"]),
        .executable(name: "nexttoken", targets: ["NextTokenCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
                "NextTokenModelStore",
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
        .testTarget(name: "NextTokenKernelsTests", dependencies: ["NextTokenKernels", "NextTokenCore"]),
        .target(name: "NextTokenModel", dependencies: ["NextTokenCore", "NextTokenGGUF", "NextTokenKernels"]),
        .testTarget(
            name: "NextTokenModelTests",
            dependencies: ["NextTokenModel", "NextTokenGGUF", "NextTokenKernels", "NextTokenTestSupport"]
        ),
        .target(name: "NextTokenSpeculation", dependencies: ["NextTokenCore"]),
        .testTarget(
            name: "NextTokenSpeculationTests",
            dependencies: ["NextTokenSpeculation", "NextTokenSampling", "NextTokenTestSupport"]
        ),
        .target(
            name: "NextToken",
            dependencies: [
                "NextTokenCore", "NextTokenGGUF", "NextTokenKernels", "NextTokenTokenizer", "NextTokenSampling",
                "NextTokenModel", "NextTokenModelStore", "NextTokenSpeculation",
            ]
        ),
        .testTarget(name: "NextTokenTests", dependencies: ["NextToken", "NextTokenTestSupport"]),
        .testTarget(name: "NextTokenCLITests", dependencies: ["NextTokenCLI", "NextTokenTestSupport"]),
    ]
)
