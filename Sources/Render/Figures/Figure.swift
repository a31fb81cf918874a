/// A figure description that lays itself out for a theme: slide size for files, paper size for reports.
public protocol Figure: Sendable {
    func layout(theme: Theme, measurer: any TextMeasurer) throws -> DisplayList
}

extension ComputationalGraphFigure: Figure {}
extension LinePlot: Figure {}
extension ContourPlot: Figure {}
extension DecisionRegionPlot: Figure {}
extension FunctionPlot: Figure {}
extension BarChart: Figure {}
extension Histogram: Figure {}
extension NetworkDiagramFigure: Figure {}
extension HeatmapFigure: Figure {}
extension PanelGrid: Figure {}
