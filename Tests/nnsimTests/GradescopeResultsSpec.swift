import Sim

/// Gradescope's results.json, as its "Autograder Specifications" page (gradescope-autograders.readthedocs.io
/// /en/latest/specs/, the autograder_samples repository's docs/specs.md of 2025-01) describes it, field by
/// field, plus what nnsim promises on top (marked "nnsim:"). `violations` is empty for a file that meets it.
///
/// - Top level: an object with only `score` (a number: the total; optional when every test has a score),
///   `execution_time` (a number of seconds), `output` (a string), `output_format`, `test_output_format` and
///   `test_name_format` (one of text, html, simple_format, md, ansi), `visibility` and `stdout_visibility`
///   (one of hidden, after_due_date, after_published, visible), `extra_data` (an object), `tests` (an array;
///   required when there is no top-level score) and `leaderboard` (an array of `{name, value, order}`,
///   `order` asc or desc).
/// - A test: an object with only `score`, `max_score` (numbers), `status` (passed or failed), `name`,
///   `number`, `output` (strings), `name_format`, `output_format` (formats as above), `tags` (an array of
///   strings), `visibility` (as above) and `extra_data` (an object).
/// - Line breaks are Unix line ends (`\n`): no carriage returns in any output.
/// - nnsim: a score is finite and at least 0, a test's score at most its max_score; the top-level output
///   and every test's output are `text` (Gradescope would otherwise render the student's own text as
///   HTML); standard output, which holds the full report, is hidden.
enum GradescopeResultsSpec {
    static let formats: Set<String> = ["text", "html", "simple_format", "md", "ansi"]
    static let visibilities: Set<String> = ["hidden", "after_due_date", "after_published", "visible"]
    static let topLevelKeys: Set<String> = ["score", "execution_time", "output", "output_format", "test_output_format", "test_name_format",
                                            "visibility", "stdout_visibility", "extra_data", "tests", "leaderboard"]
    static let testKeys: Set<String> = ["score", "max_score", "status", "name", "name_format", "number", "output", "output_format", "tags",
                                        "visibility", "extra_data"]

    static func violations(_ bytes: [UInt8]) -> [String] {
        do {
            return violations(try JSONParser.parse(bytes))
        } catch {
            return ["not JSON: \(error)"]
        }
    }

    static func violations(_ json: JSONValue) -> [String] {
        guard case .object(let members) = json else { return ["the top level is \(json.kindDescription), not an object"] }
        var problems: [String] = []
        let keys = members.map(\.key)
        if Set(keys).count != keys.count { problems.append("a key is given twice") }
        for key in keys where !topLevelKeys.contains(key) { problems.append("unknown top-level key '\(key)'") }
        check(json, "", number: ["score", "execution_time"], string: ["output"], format: ["output_format", "test_output_format", "test_name_format"],
              visibility: ["visibility", "stdout_visibility"], into: &problems)
        if let extra = json["extra_data"], case .object = extra {} else if json["extra_data"] != nil { problems.append("extra_data is not an object") }
        if let time = json["execution_time"]?.doubleValue, time < 0 { problems.append("execution_time is negative") }
        // nnsim's own promises.
        if json["output_format"] != .string("text") { problems.append("nnsim: the top-level output_format is not text") }
        if json["stdout_visibility"] != .string("hidden") { problems.append("nnsim: stdout_visibility is not hidden") }
        if let score = json["score"]?.doubleValue, !(score.isFinite && score >= 0) { problems.append("nnsim: the score is not a finite number ≥ 0") }
        var everyTestScored = true
        switch json["tests"] {
        case nil: everyTestScored = false
        case .array(let tests)?:
            for (i, test) in tests.enumerated() {
                let at = "tests[\(i)]."
                guard case .object(let fields) = test else { problems.append("tests[\(i)] is not an object"); continue }
                for field in fields where !testKeys.contains(field.key) { problems.append("unknown key '\(at)\(field.key)'") }
                check(test, at, number: ["score", "max_score"], string: ["name", "number", "output"], format: ["name_format", "output_format"],
                      visibility: ["visibility"], into: &problems)
                if let status = test["status"], status != .string("passed"), status != .string("failed") { problems.append("\(at)status is not passed or failed") }
                if let tags = test["tags"] {
                    if case .array(let list) = tags, list.allSatisfy({ if case .string = $0 { true } else { false } }) {} else { problems.append("\(at)tags is not an array of strings") }
                }
                if let extra = test["extra_data"], case .object = extra {} else if test["extra_data"] != nil { problems.append("\(at)extra_data is not an object") }
                if test["score"] == nil { everyTestScored = false }
                if let score = test["score"]?.doubleValue, let max = test["max_score"]?.doubleValue, !(score >= 0 && score <= max + 1e-9) {
                    problems.append("nnsim: \(at)score is not between 0 and max_score")
                }
                if test["output"] != nil && test["output_format"] != .string("text") { problems.append("nnsim: \(at)output_format is not text") }
            }
        default: problems.append("tests is not an array")
        }
        if json["score"] == nil && !everyTestScored { problems.append("no top-level score, and not every test has one") }
        if let board = json["leaderboard"] {
            if case .array(let entries) = board {
                for (i, entry) in entries.enumerated() {
                    guard case .string? = entry["name"] else { problems.append("leaderboard[\(i)].name is not a string"); continue }
                    switch entry["value"] {
                    case .number?, .integer?, .string?: break
                    default: problems.append("leaderboard[\(i)].value is not a number or a string")
                    }
                    if let order = entry["order"], order != .string("asc"), order != .string("desc") { problems.append("leaderboard[\(i)].order is not asc or desc") }
                }
            } else {
                problems.append("leaderboard is not an array")
            }
        }
        return problems
    }

    private static func check(_ object: JSONValue, _ at: String, number: [String], string: [String], format: [String], visibility: [String], into problems: inout [String]) {
        for key in number {
            guard let value = object[key] else { continue }
            switch value {
            case .number(let x) where x.isFinite: break
            case .integer: break
            default: problems.append("\(at)\(key) is not a finite number")
            }
        }
        for key in string {
            guard let value = object[key] else { continue }
            guard case .string(let s) = value else { problems.append("\(at)\(key) is not a string"); continue }
            if s.contains("\r") { problems.append("\(at)\(key) has a carriage return (Gradescope wants \\n line ends)") }
        }
        for key in format {
            guard let value = object[key] else { continue }
            guard case .string(let s) = value, formats.contains(s) else { problems.append("\(at)\(key) is not one of \(formats.sorted())"); continue }
        }
        for key in visibility {
            guard let value = object[key] else { continue }
            guard case .string(let s) = value, visibilities.contains(s) else { problems.append("\(at)\(key) is not one of \(visibilities.sorted())"); continue }
        }
    }
}
