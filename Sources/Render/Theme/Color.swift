import Foundation

/// An sRGB colour with alpha, components in 0…1.
public struct Color: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    /// From a 24-bit hex value: `Color(hex: 0x009E73)`.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255, alpha: alpha)
    }

    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// Linear mix: t = 0 gives self, t = 1 gives other, both exactly.
    public func mixed(with other: Color, _ t: Double) -> Color {
        func mix(_ a: Double, _ b: Double) -> Double { a * (1 - t) + b * t }
        return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue),
                     alpha: mix(alpha, other.alpha))
    }

    /// Relative luminance (WCAG 2.1): the sRGB channels linearized, weighted 0.2126, 0.7152, 0.0722.
    public var relativeLuminance: Double {
        func channel(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    }

    /// WCAG's contrast ratio with another colour, from 1 (the same) to 21 (black on white): (L₁ + 0.05) / (L₂ + 0.05)
    /// with L₁ the lighter. Text needs 4.5, lines and marks 3. Alpha is ignored.
    public func contrastRatio(with other: Color) -> Double {
        let a = relativeLuminance, b = other.relativeLuminance
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    /// `#RRGGBB` (alpha left out), as CSS writes it.
    public var hexString: String {
        "#" + [red, green, blue].map { channel in
            let byte = Int((min(1, max(0, channel)) * 255).rounded())
            return String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }.joined()
    }

    public static let white = Color(hex: 0xFFFFFF)
    public static let black = Color(hex: 0x000000)
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
