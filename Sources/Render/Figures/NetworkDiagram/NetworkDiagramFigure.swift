/// A layered network: neurons as circles with their values inside, every connection coloured by the
/// sign of its weight (positive blue, negative vermillion, and dashed in the print scheme) and as thick as |w| relative to the largest
/// weight (from 0.5 pt to 6 pt on slides, halved on paper), layer names below.
public struct NetworkDiagramFigure: Sendable {
    public struct Layer: Sendable {
        public var name: String
        /// Text inside each neuron (its value or name); the count of neurons is the count of texts.
        public var neurons: [String]

        public init(name: String, neurons: [String]) {
            self.name = name
            self.neurons = neurons
        }
    }

    public var title: String?
    public var layers: [Layer]
    /// weights[l][i][j] connects neuron i of layer l to neuron j of layer l + 1 (the X·W layout).
    public var weights: [[[Double]]]

    public init(title: String? = nil, layers: [Layer], weights: [[[Double]]]) {
        self.title = title
        self.layers = layers
        self.weights = weights
    }

    /// Stroke width for a weight, given the largest |w| in the figure.
    static func width(_ w: Double, largest: Double, theme: Theme) -> Double {
        let scale = theme.lineWidth / 2
        guard largest > 0, w.isFinite else { return scale }
        return scale * (1 + 11 * min(1, abs(w) / largest))
    }

    public func layout(theme: Theme, measurer: any TextMeasurer) -> DisplayList {
        var page = DisplayList(size: theme.pageSize, background: theme.pageBackground)
        let font = theme.font(theme.smallSize)
        let radius = max(theme.labelSize * 1.1,
                         (layers.flatMap(\.neurons).map { measurer.measure($0, font: font).width }.max() ?? 0) / 2 + 5)
        let titleHeight = title == nil ? 0 : theme.titleSize * 1.8
        let top = theme.margin + titleHeight + radius, bottom = theme.pageSize.height - theme.margin - theme.labelSize * 2 - radius
        let left = theme.margin + radius, right = theme.pageSize.width - theme.margin - radius
        let columns = max(layers.count - 1, 1)
        func center(_ l: Int, _ i: Int) -> Point {
            let count = layers[l].neurons.count
            let x = layers.count == 1 ? (left + right) / 2 : left + (right - left) * Double(l) / Double(columns)
            let spacing = min((bottom - top) / Double(max(count - 1, 1)), radius * 3.2)
            let y = (top + bottom) / 2 + (Double(i) - Double(count - 1) / 2) * spacing
            return Point(x, y)
        }
        let largest = weights.flatMap { $0.flatMap { $0 } }.filter(\.isFinite).map(abs).max() ?? 0
        let positive = theme.seriesColor(0), negative = theme.gradient
        for (l, matrix) in weights.enumerated() where l + 1 < layers.count {
            for (i, row) in matrix.enumerated() where i < layers[l].neurons.count {
                for (j, w) in row.enumerated() where j < layers[l + 1].neurons.count {
                    let a = center(l, i), b = center(l + 1, j)
                    let width = Self.width(w, largest: largest, theme: theme)
                    // A thick connection's dashes grow with it, so they read as dashes, not as stripes.
                    page.append(.path(PathShape([.move(a), .line(b)],
                                                stroke: Stroke((w >= 0 ? positive : negative).withAlpha(0.8), width: width,
                                                               dash: w >= 0 ? [] : theme.colors.negativeDash.map { $0 * max(1, width / 2) }),
                                                tag: "weight:\(l):\(i):\(j)")))
                }
            }
        }
        for (l, layer) in layers.enumerated() {
            for (i, text) in layer.neurons.enumerated() {
                let c = center(l, i)
                page.append(.path(PathShape([.arc(center: c, radius: radius, start: 0, end: 2 * .pi), .close], fill: theme.operatorFill,
                                            stroke: Stroke(theme.foreground, width: theme.lineWidth), tag: "neuron:\(l):\(i)")))
                page.append(.text(.placed(text, font: font, color: theme.foreground, at: c, tag: "neuron-value:\(l):\(i)", measurer: measurer)))
            }
            let bottomNeuron = center(l, max(layer.neurons.count - 1, 0))
            page.append(.text(.placed(layer.name, font: theme.font(theme.labelSize, bold: true), color: theme.foreground,
                                      at: Point(bottomNeuron.x, max(bottomNeuron.y + radius + 8, bottom + radius + 4)), anchor: .top,
                                      tag: "layer:\(l)", measurer: measurer)))
        }
        if let title {
            page.append(.text(.placed(title, font: theme.font(theme.titleSize, bold: true), color: theme.foreground,
                                      at: Point(theme.pageSize.width / 2, theme.margin), anchor: .top, tag: "title", measurer: measurer)))
        }
        let legend = Legend(entries: [Legend.Entry(name: "w > 0", color: positive, dash: [], marker: nil),
                                      Legend.Entry(name: "w < 0", color: negative, dash: theme.colors.negativeDash, marker: nil)], theme: theme, measurer: measurer)
        let size = legend.size
        page.append(contentsOf: legend.primitives(in: Rect(x: theme.pageSize.width - theme.margin - size.width, y: theme.margin + titleHeight * 0.2,
                                                          width: size.width, height: size.height)))
        return page
    }
}
