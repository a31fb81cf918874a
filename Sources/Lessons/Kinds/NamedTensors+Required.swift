import Sim

extension NamedValues where Value == Tensor {
    /// The tensor called `name`, or an error naming what is missing and where (`what`): a parameter that
    /// is not there must stop the run, never stand in as 0 and make a gradient silently wrong.
    func required(_ name: String, in what: String) throws(LessonError) -> Tensor {
        guard let tensor = self[name] else {
            throw LessonError("\(what) have no \(name) (they have \(entries.map(\.name).joined(separator: ", ")))")
        }
        return tensor
    }
}
