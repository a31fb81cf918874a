/// The engine's users (lessons, the command line) write numbers with the one formatter, NumberFormat,
/// which lives in its own module so that Render can use it too.
@_exported import Numbers
