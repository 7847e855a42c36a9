#pragma once
// The prompt-editing syntax of A1111 (modules/prompt_parser.py, the lark grammar below),
// parsed into a tree whose text leaves are byte ranges of the prompt:
//
//   !start: (prompt | /[][():]/+)*
//   prompt: (emphasized | scheduled | alternate | plain | WHITESPACE)*
//   !emphasized: "(" prompt ")" | "(" prompt ":" prompt ")" | "[" prompt "]"
//   scheduled: "[" [prompt ":"] prompt ":" [WHITESPACE] NUMBER [WHITESPACE] "]"
//   alternate: "[" prompt ("|" [prompt])+ "]"
//   plain: /([^\\\[\]():|]|\\.)+/          NUMBER: SIGNED_NUMBER
//
// Inside a bracket everything must nest properly, so a bracket at position i opens at most
// one structure, found by a left-to-right scan. Only the top level may hold loose brackets
// and colons. There lark's Earley parser resolves the ambiguity between "this bracket is a
// structure" and "this bracket is text": on every input tried it took the structure, except
// for some inputs where its choice changes from run to run (it depends on Python's hash
// seed); this parser always takes the structure, one of lark's possible answers there.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace celerity {

struct ScheduleTree {
  enum class Kind {
    Text,       // bytes [begin, end) of the prompt
    Group,      // an emphasis: the bracket at begin, lists[0], the bracket at end − 1
    Scheduled,  // lists = {before (−1: absent), after}; `number` as written
    Alternate,  // lists = the options (−1: an empty option)
  };
  struct Node {
    Kind kind = Kind::Text;
    std::size_t begin = 0;
    std::size_t end = 0;
    std::vector<int> lists;
    std::string number;
  };

  std::vector<Node> nodes;
  std::vector<std::vector<int>> lists;  // node indices, in text order
  int root = -1;                        // the list of the top level
};

class ScheduleParser {
 public:
  // The tree of `prompt`, or nullopt where the grammar rejects it (a '|' outside an
  // alternation, a backslash at the end or before a newline); A1111 then uses the prompt as is.
  static std::optional<ScheduleTree> parse(std::string_view prompt);

  // The end of lark's NUMBER (SIGNED_NUMBER, its regex's first matching alternative) at
  // `pos`, or npos.
  static std::size_t matchNumber(std::string_view text, std::size_t pos);

 private:
  explicit ScheduleParser(std::string_view prompt);

  struct Frame {
    std::size_t start = 0;  // the opening bracket
    int colons = 0;
    int bars = 0;
    std::vector<int> parts;  // the prompts between the separators
  };

  bool parseTopLevel();
  // The structure opened by the bracket at `start`: its node (and sets end), or −1.
  int parseStructure(std::size_t start, std::size_t& end);
  // Handles the character at pos inside the innermost frame; returns false when it fails.
  bool step(std::vector<Frame>& frames, std::size_t& pos, int& finished, std::size_t& end);
  // "\s* NUMBER \s* ]" after a colon at `pos`: the position of ']' (and the number), or npos.
  std::size_t matchWhen(std::size_t pos, std::string& number) const;

  int newList();
  int newNode(ScheduleTree::Kind kind, std::size_t begin, std::size_t end);
  void appendText(int list, std::size_t begin, std::size_t end);
  // Handles an escape at `pos`: false (and marks the prompt rejected) when it is malformed.
  bool escape(int list, std::size_t& pos);

  std::string_view text_;
  ScheduleTree tree_;
  std::vector<int> memoNode_;  // per position: −2 not tried, −1 no structure, else its node
  std::vector<std::size_t> memoEnd_;
  bool rejected_ = false;
};

}  // namespace celerity
