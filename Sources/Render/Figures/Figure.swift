/// A figure description that lays itself out for a theme: slide size for files, paper size for reports.
public protocol Figure: Sendable {
    func layout(theme: Theme, measurer: any TextMeasurer) throws -> DisplayList
    /// The figure on one page or more: a figure too large to read on one slide may be shown over several
    /// (a wide computational graph, band by band). A report takes `layout`'s one page.
    func pages(theme: Theme, measurer: any TextMeasurer) throws -> [DisplayList]
}

extension Figure {
    public func pages(theme: Theme, measurer: any TextMeasurer) throws -> [DisplayList] { [try layout(theme: theme, measurer: measurer)] }
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
