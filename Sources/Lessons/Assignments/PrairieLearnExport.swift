import Foundation
import Sim

/// An assignment as PrairieLearn questions (docs/assignments.md, "PrairieLearn and others"): one folder per
/// question with `info.json`, `question.html`, `server.py` and `variants.json`. The variants are nnsim's own
/// draws (for the IDs `variant-1` … `variant-N`), precomputed with their answers, so PrairieLearn's variant
/// seed picks one and PrairieLearn grades in its own terms: `pl-number-input` with `comparison="relabs"`,
/// `pl-matrix-input` for vectors and matrices, `pl-multiple-choice` for yes or no, each with the ask's
/// points as its weight. PrairieLearn passes an answer when |given − expected| ≤ atol + rtol·|expected|,
/// a little more than nnsim's max(atol, rtol·|expected|) and never less. Questions on a student's own run
/// have no PrairieLearn form and are left out, with a note.
public struct PrairieLearnExport {
    public let assignment: Assignment
    public let variants: Int

    public init(_ assignment: Assignment, variants: Int) {
        self.assignment = assignment
        self.variants = variants
    }

    /// The files, by path relative to the output folder, and notes on what was left out.
    public func files() throws(LessonError) -> (files: [(name: String, bytes: [UInt8])], notes: [String]) {
        let students = (1...max(1, variants)).map { "variant-\($0)" }
        let drawn = try students.map { id throws(LessonError) in try StudentVariant(assignment, student: id) }
        var files: [(name: String, bytes: [UInt8])] = []
        var notes: [String] = []
        for (index, question) in assignment.questions.enumerated() {
            if question.subject.isReplay {
                notes.append("\(question.id): a run of the student's own program has no PrairieLearn form; left out")
                continue
            }
            let folder = Self.slug(assignment.title) + "-" + question.id
            let names = question.asks.indices.map { "a\($0 + 1)" }
            var variantList: [JSONValue] = []
            for student in drawn {
                let q = student.questions[index]
                var params: [JSONMember] = [JSONMember("text", .string(q.text ?? question.title))]
                for value in q.values { params.append(JSONMember(value.name, .string(value.value))) }
                var answers: [JSONMember] = []
                for (ask, name) in zip(question.asks, names) {
                    if let answer = q.expected[ask.key] { answers.append(JSONMember(name, answer.json)) }
                }
                variantList.append(.object([JSONMember("student", .string(student.student)), JSONMember("params", .object(params)),
                                            JSONMember("correct_answers", .object(answers))]))
            }
            files.append((folder + "/variants.json", JSONWriter.bytes(.array(variantList))))
            files.append((folder + "/info.json", JSONWriter.bytes(.object([
                JSONMember("uuid", .string(Self.uuid(assignment.title + "\u{0}" + question.id))),
                JSONMember("title", .string(question.title)),
                JSONMember("topic", .string(assignment.title)),
                JSONMember("tags", .array([.string("nnsim")])),
                JSONMember("type", .string("v3")),
            ]))))
            files.append((folder + "/question.html", Array(html(question, names: names, sample: drawn[0].questions[index]).utf8)))
            files.append((folder + "/server.py", Array(Self.server.utf8)))
        }
        return (files, notes)
    }

    func html(_ question: AssignmentQuestion, names: [String], sample: QuestionVariant) -> String {
        var lines = ["<pl-question-panel>", "  <p>{{params.text}}</p>", "</pl-question-panel>", ""]
        for (ask, name) in zip(question.asks, names) {
            let label = Self.escape(ask.prompt)
            let weight = max(1, Int(ask.points.rounded()))
            let tolerance = "comparison=\"relabs\" rtol=\"\(NumberFormat.plain(ask.tolerance.relative).replacingOccurrences(of: "−", with: "-"))\" atol=\"\(NumberFormat.plain(ask.tolerance.absolute).replacingOccurrences(of: "−", with: "-"))\""
            switch sample.expected[ask.key] {
            case .numbers(_, let shape)? where !shape.isEmpty:
                lines.append("<p>\(label)</p>")
                lines.append("<pl-matrix-input answers-name=\"\(name)\" \(tolerance) weight=\"\(weight)\" show-correct-answer=\"false\"></pl-matrix-input>")
            case .yesNo?:
                lines.append("<p>\(label)</p>")
                lines.append("<pl-multiple-choice answers-name=\"\(name)\" weight=\"\(weight)\">")
                lines.append("  <pl-answer correct=\"{{#params.\(name)_yes}}true{{/params.\(name)_yes}}{{^params.\(name)_yes}}false{{/params.\(name)_yes}}\">yes</pl-answer>")
                lines.append("  <pl-answer correct=\"{{^params.\(name)_yes}}true{{/params.\(name)_yes}}{{#params.\(name)_yes}}false{{/params.\(name)_yes}}\">no</pl-answer>")
                lines.append("</pl-multiple-choice>")
            default:
                lines.append("<p>\(label)</p>")
                lines.append("<pl-number-input answers-name=\"\(name)\" \(tolerance) weight=\"\(weight)\" show-correct-answer=\"false\"></pl-number-input>")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// server.py: PrairieLearn's variant seed picks one of nnsim's precomputed variants.
    static let server = """
    # Written by nnsim (nnsim assignment prairielearn): the variants are nnsim's own draws, precomputed in
    # variants.json beside this file; PrairieLearn's variant seed picks one. Grading is PrairieLearn's own
    # (the elements in question.html carry the tolerances).
    import json
    import os

    try:  # inside PrairieLearn: vectors and matrices go to pl-matrix-input as its JSON form of an array
        import numpy as np
        import prairielearn as pl

        def _array(value):
            return pl.to_json(np.array(value))
    except ImportError:  # elsewhere (nnsim's own test of this file): plain lists
        def _array(value):
            return value

    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "variants.json"), encoding="utf-8") as f:
        VARIANTS = json.load(f)


    def generate(data):
        variant = VARIANTS[int(data["variant_seed"]) % len(VARIANTS)]
        data["params"].update(variant["params"])
        for name, answer in variant["correct_answers"].items():
            if answer in ("yes", "no"):
                data["params"][name + "_yes"] = answer == "yes"
            data["correct_answers"][name] = _array(answer) if isinstance(answer, list) else answer

    """

    static func slug(_ text: String) -> String {
        let kept = text.lowercased().unicodeScalars.map { $0.isASCII && CharacterSet.alphanumerics.contains($0) ? Character($0) : "-" }
        return String(kept).split(separator: "-").joined(separator: "-").prefix(40).description
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A UUID made from the text (FNV-1a, twice), the same for the same assignment and question, so that a
    /// new export updates PrairieLearn's questions instead of adding copies.
    static func uuid(_ text: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var hash = seed
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            return hash
        }
        let hex = String(format: "%016llx%016llx", fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4))
        let chars = Array(hex)
        func part(_ a: Int, _ b: Int) -> String { String(chars[a..<b]) }
        // Version 4 and the RFC 4122 variant bits, as PrairieLearn expects of a uuid.
        return "\(part(0, 8))-\(part(8, 12))-4\(part(13, 16))-a\(part(17, 20))-\(part(20, 32))"
    }
}
