/// The list prompt of in-context navigation (design §8.2).
///
/// ```
/// {instruction}
///
/// Answer:
/// 1. "{answer 1}"
/// 2. "{answer 2}"
/// {m+1}. "
/// ```
/// The model continues after the opening quote. Through a chat template the instruction is the user's
/// message and the answer list opens the assistant's turn (the blank line becomes the turn boundary).
public enum NavigationPrompt {
    /// The answer list: `Answer:`, one numbered quoted line per explored answer, then the next number
    /// and an opening quote.
    public static func answerList(explored: [String]) -> String {
        var text = "Answer:\n"
        for (index, answer) in explored.enumerated() { text += "\(index + 1). \"\(answer)\"\n" }
        return text + "\(explored.count + 1). \""
    }

    /// The whole prompt without a chat template: the instruction, a blank line, then ``answerList(explored:)``.
    public static func plainText(instruction: String, explored: [String]) -> String {
        instruction + "\n\n" + answerList(explored: explored)
    }
}
