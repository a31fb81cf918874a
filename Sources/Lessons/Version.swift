/// The nnsim version, printed by `nnsim --version` and on every report's title page.
public enum NNSimVersion {
    public static let current = "0.1.0"
}
