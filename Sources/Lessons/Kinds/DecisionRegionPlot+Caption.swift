import Render

extension DecisionRegionPlot {
    /// What a caption says of the boundary ŷ = 0.5: `drawn` where it crosses the window, else that ŷ is above
    /// (or below) 0.5 in the whole window and `missing` (a network at its start can be on one side
    /// everywhere: XOR's output after 0 iterations).
    func boundaryPhrase(drawn: String, missing: String = "so no line ŷ = 0.5 is drawn") -> String {
        guard let side = sideOfWholeWindow else { return drawn }
        return "ŷ is \(side == 1 ? "above" : "below") 0.5 everywhere in this window, \(missing)"
    }
}
