import Foundation

/// Locates the read-only reference data in `/work/shared`, seen from the package as `../shared`.
///
/// The package root is found from this file's own path, so it works from any clone location.
public enum SharedData {
    /// The directory containing `Package.swift`: this file is `Sources/NextTokenTestSupport/SharedData.swift`.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // NextTokenTestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// The shared data directory, `packageRoot/../shared`.
    public static var root: URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// `relative` inside the shared data directory, e.g. `url("testdata/tokenizer/README.md")`.
    public static func url(_ relative: String) -> URL {
        root.appendingPathComponent(relative)
    }
}
