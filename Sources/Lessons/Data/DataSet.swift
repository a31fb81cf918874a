import Foundation
import Sim

/// A data set of a lesson: rows of inputs and one target each. Built-in sets by name, or the instructor's
/// own CSV file (docs/lesson-format.md): a header row naming the columns, the target last, `#` comments.
public struct DataSet: Sendable, Hashable {
    public let name: String
    public let inputNames: [String]
    public let targetName: String
    public let inputs: [[Double]]
    public let targets: [Double]

    public init(name: String, inputNames: [String], targetName: String = "y", inputs: [[Double]], targets: [Double]) {
        self.name = name
        self.inputNames = inputNames
        self.targetName = targetName
        self.inputs = inputs
        self.targets = targets
    }

    /// The logic gates of notes 000–002 on the four corners of the unit square.
    static let corners: [[Double]] = [[0, 0], [0, 1], [1, 0], [1, 1]]
    public static let and = DataSet(name: "and", inputNames: ["x1", "x2"], inputs: corners, targets: [0, 0, 0, 1])
    public static let or = DataSet(name: "or", inputNames: ["x1", "x2"], inputs: corners, targets: [0, 1, 1, 1])
    public static let xor = DataSet(name: "xor", inputNames: ["x1", "x2"], inputs: corners, targets: [0, 1, 1, 0])
    /// Six noisy points near d = 2x + 1, for Adaline's line fit.
    public static let line = DataSet(name: "line", inputNames: ["x"], targetName: "d",
                                     inputs: [[0], [1], [2], [3], [4], [5]], targets: [1.1, 2.9, 5.2, 6.8, 9.1, 10.9])

    /// The hand-written sets, then those drawn from the seeded generator (GeneratedData.swift).
    public static let builtIns = [and, or, xor, line] + generated
    /// The built-in sets with 0/1 targets on two inputs, which the classification lessons accept.
    public static let classification = [and, or, xor]
    /// The built-in sets with real targets, for Adaline's regression: the hand-written six points (whose
    /// numbers the adaline lesson's narrative and tests work through) and the generated `line-noisy`.
    public static let regression = [line, lineNoisy]
    /// A CSV data set's limits (docs/lesson-format.md, "Limits"). The perceptron draws every sample in up
    /// to 62 figures, each format: at 2,000 rows its slowest run takes about half a minute (100,000 took
    /// 5.3 GB and 2 minutes), and every lesson records each sample's numbers in each traced step.
    public static let maximumRows = 2_000
    public static let maximumColumns = 100

    /// The data set `value` names: a built-in or a CSV path.
    public static func named(_ value: String) throws(LessonError) -> DataSet {
        if let set = builtIns.first(where: { $0.name == value }) { return set }
        guard value.hasSuffix(".csv") || value.contains("/") else {
            throw LessonError("no built-in data set '\(value)' (built in: \(builtIns.map(\.name).joined(separator: ", ")); or give a .csv file)", key: "data")
        }
        return try csv(try InputText.read(value, limit: 16 << 20, what: "the data file", key: "data"), path: value)
    }

    /// Parses CSV text: header `x1,x2,...,y`, then one row of numbers per sample (TextInput's lines: LF,
    /// CRLF or CR). A field that is not a number is named with its line and column.
    public static func csv(_ text: String, path: String) throws(LessonError) -> DataSet {
        var header: [String]?
        var inputs: [[Double]] = [], targets: [Double] = []
        for (index, raw) in TextInput.lines(text).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            // Each field trimmed, with the 1-based column of its first character in the line.
            var fields: [String] = [], columns: [Int] = []
            var column = 1
            for part in raw.split(separator: ",", omittingEmptySubsequences: false) {
                let leading = part.prefix { $0.unicodeScalars.allSatisfy(CharacterSet.whitespaces.contains) }.count
                fields.append(part.trimmingCharacters(in: .whitespaces))
                columns.append(column + leading)
                column += part.count + 1
            }
            guard let names = header else {
                guard fields.count >= 2, fields.allSatisfy({ !$0.isEmpty && NumberText.parse($0) == nil }) else {
                    throw LessonError("the first row must name the columns (inputs, then the target), e.g. x1,x2,y", file: path, line: index + 1)
                }
                guard fields.count <= maximumColumns else {
                    throw LessonError("\(fields.count) columns; the limit is \(maximumColumns)", file: path, line: index + 1)
                }
                header = fields
                continue
            }
            guard fields.count == names.count else {
                throw LessonError("\(fields.count) values where the header has \(names.count) columns", file: path, line: index + 1)
            }
            var row: [Double] = []
            for ((name, field), column) in zip(zip(names, fields), columns) {
                guard let x = NumberText.parse(field) else {
                    throw LessonError("'\(field)' in column '\(name)' is not a finite number", file: path, line: index + 1, column: column)
                }
                row.append(x)
            }
            guard inputs.count < maximumRows else { throw LessonError("more than \(maximumRows) rows", file: path, line: index + 1) }
            targets.append(row.removeLast())
            inputs.append(row)
        }
        guard let names = header else { throw LessonError("the data file is empty", file: path) }
        guard !inputs.isEmpty else { throw LessonError("the data file has a header but no rows", file: path) }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return DataSet(name: name, inputNames: Array(names.dropLast()), targetName: names.last ?? "y", inputs: inputs, targets: targets)
    }

    /// The inputs as a matrix, with a constant-1 column last when `biasColumn` (note 001's X).
    public func matrix(biasColumn: Bool) -> Tensor {
        // Every row has the header's width (checked when read), so the shape always fits; were it not to,
        // the network would train on made-up data, so stop.
        guard let matrix = try? Tensor(rows: inputs.map { biasColumn ? $0 + [1] : $0 }) else {
            preconditionFailure("the data set \(name) has rows of different lengths")
        }
        return matrix
    }

    /// The targets as a column.
    public var targetColumn: Tensor { Tensor(column: targets) }

    /// Checks that every target is 0 or 1 (for classifiers).
    public func requireBinaryTargets() throws(LessonError) {
        if let bad = targets.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw LessonError("targets must be 0 or 1 for this lesson; row \(bad + 1) has \(NumberFormat.display(targets[bad]))", key: "data")
        }
    }

    /// As trace data: `inputs` and `targets`.
    public var traceData: NamedTensors {
        ["inputs": matrix(biasColumn: false), "targets": targetColumn]
    }
}
