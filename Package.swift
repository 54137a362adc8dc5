// swift-tools-version: 6.1
import PackageDescription

/// NextToken: a pure-Swift engine for next-token prediction on GGUF models.
///
/// Targets follow the data flow, and dependencies only point down:
/// Core <- GGUF, Kernels, Tokenizer, Sampling <- Model <- NextToken (engine API) <- CLI.
let package = Package(
    name: "NextToken",
    platforms: [.macOS(.v15)],
    products: [],
    dependencies: [],
    targets: [
        .target(name: "NextTokenCore"),
        .testTarget(name: "NextTokenCoreTests", dependencies: ["NextTokenCore"]),
        .target(name: "NextTokenKernels", dependencies: ["NextTokenCore"]),
        .testTarget(name: "NextTokenKernelsTests", dependencies: ["NextTokenKernels", "NextTokenCore"]),
    ]
)
