import SafeFiles
import Sim

/// Reading the files a user gives nnsim (scripts, assignments, data sets, submissions), in one place:
/// only regular files, within a size limit (SafeFiles.InputFile), decoded by Sim's TextInput (UTF-8, a
/// leading byte-order mark dropped). Errors name the file and, for a setting, its key.
enum InputText {
    static func bytes(_ path: String, limit: Int, key: String? = nil) throws(LessonError) -> [UInt8] {
        do {
            return try InputFile.bytes(path, limit: limit)
        } catch {
            throw LessonError(error.message, file: path, key: key)
        }
    }

    /// The file as text (Sim's TextInput: UTF-8 without a byte-order mark); `what` names it in errors
    /// ("the data file").
    static func read(_ path: String, limit: Int, what: String, key: String? = nil) throws(LessonError) -> String {
        do {
            return try TextInput.decode(try bytes(path, limit: limit, key: key))
        } catch let problem as TextInput.Problem {
            throw LessonError(problem.message(what), file: path, key: key)
        } catch let error as LessonError {
            throw error
        } catch {
            throw LessonError("\(error)", file: path, key: key)
        }
    }
}
