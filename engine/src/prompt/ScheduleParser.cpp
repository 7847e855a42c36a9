#include "prompt/ScheduleParser.h"

#include <utility>

#include "prompt/PyText.h"

namespace celerity {
namespace {

constexpr std::size_t kNone = std::string_view::npos;

bool isDigit(std::string_view text, std::size_t pos) {
  return pos < text.size() && text[pos] >= '0' && text[pos] <= '9';
}

bool isSign(std::string_view text, std::size_t pos) {
  return pos < text.size() && (text[pos] == '+' || text[pos] == '-');
}

std::size_t skipDigits(std::string_view text, std::size_t pos) {
  while (isDigit(text, pos)) ++pos;
  return pos;
}

// [eE][+-]?[0-9]+ at pos: its end, or pos when absent.
std::size_t skipExponent(std::string_view text, std::size_t pos) {
  if (pos >= text.size() || (text[pos] != 'e' && text[pos] != 'E')) return pos;
  std::size_t i = pos + 1;
  if (isSign(text, i)) ++i;
  const std::size_t end = skipDigits(text, i);
  return end > i ? end : pos;
}

// Characters that end a plain run inside a structure.
bool endsPlain(char c) {
  return c == '\\' || c == '[' || c == ']' || c == '(' || c == ')' || c == ':' || c == '|';
}

}  // namespace

std::size_t ScheduleParser::matchNumber(std::string_view text, std::size_t pos) {
  // (?:[+-])?(?: INT [eE][+-]?INT | (?:INT \. INT? | \. INT)(?:[eE][+-]?INT)? | INT )
  std::size_t p = pos;
  if (isSign(text, p)) ++p;
  const std::size_t digitsEnd = skipDigits(text, p);
  if (digitsEnd > p) {
    const std::size_t exponentEnd = skipExponent(text, digitsEnd);
    if (exponentEnd > digitsEnd) return exponentEnd;
    if (digitsEnd < text.size() && text[digitsEnd] == '.') {
      return skipExponent(text, skipDigits(text, digitsEnd + 1));
    }
    return digitsEnd;
  }
  if (p < text.size() && text[p] == '.' && isDigit(text, p + 1)) {
    return skipExponent(text, skipDigits(text, p + 1));
  }
  return kNone;
}

std::optional<ScheduleTree> ScheduleParser::parse(std::string_view prompt) {
  ScheduleParser parser(prompt);
  if (!parser.parseTopLevel()) return std::nullopt;
  return std::move(parser.tree_);
}

ScheduleParser::ScheduleParser(std::string_view prompt)
    : text_(prompt), memoNode_(prompt.size(), -2), memoEnd_(prompt.size(), 0) {}

int ScheduleParser::newList() {
  tree_.lists.emplace_back();
  return static_cast<int>(tree_.lists.size()) - 1;
}

int ScheduleParser::newNode(ScheduleTree::Kind kind, std::size_t begin, std::size_t end) {
  ScheduleTree::Node node;
  node.kind = kind;
  node.begin = begin;
  node.end = end;
  tree_.nodes.push_back(std::move(node));
  return static_cast<int>(tree_.nodes.size()) - 1;
}

void ScheduleParser::appendText(int list, std::size_t begin, std::size_t end) {
  std::vector<int>& items = tree_.lists[list];
  if (!items.empty()) {
    ScheduleTree::Node& last = tree_.nodes[items.back()];
    if (last.kind == ScheduleTree::Kind::Text && last.end == begin) {
      last.end = end;
      return;
    }
  }
  items.push_back(newNode(ScheduleTree::Kind::Text, begin, end));
}

bool ScheduleParser::escape(int list, std::size_t& pos) {
  // plain's \\. : a backslash and any character but a newline.
  if (pos + 1 >= text_.size() || text_[pos + 1] == '\n') {
    rejected_ = true;
    return false;
  }
  appendText(list, pos, pos + 2);
  pos += 2;
  return true;
}

std::size_t ScheduleParser::matchWhen(std::size_t pos, std::string& number) const {
  const std::size_t numberStart = pytext::skipSpaces(text_, pos);
  const std::size_t numberEnd = matchNumber(text_, numberStart);
  if (numberEnd == kNone) return kNone;
  const std::size_t close = pytext::skipSpaces(text_, numberEnd);
  if (close >= text_.size() || text_[close] != ']') return kNone;
  number = std::string(text_.substr(numberStart, numberEnd - numberStart));
  return close;
}

bool ScheduleParser::parseTopLevel() {
  tree_.root = newList();
  const int root = tree_.root;
  std::size_t pos = 0;
  while (pos < text_.size()) {
    const char c = text_[pos];
    if (c == '\\') {
      if (!escape(root, pos)) return false;
    } else if (c == '|') {
      return false;  // only an alternation may hold '|'
    } else if (c == '(' || c == '[') {
      std::size_t end = memoEnd_[pos];
      const int node = memoNode_[pos] == -2 ? parseStructure(pos, end) : memoNode_[pos];
      if (rejected_) return false;
      if (node >= 0) {
        tree_.lists[root].push_back(node);
        pos = end;
      } else {
        appendText(root, pos, pos + 1);  // a loose bracket is text here
        ++pos;
      }
    } else {
      std::size_t end = pos + 1;
      while (end < text_.size() && text_[end] != '\\' && text_[end] != '|' && text_[end] != '(' &&
             text_[end] != '[') {
        ++end;
      }
      appendText(root, pos, end);
      pos = end;
    }
  }
  return true;
}

int ScheduleParser::parseStructure(std::size_t start, std::size_t& end) {
  // An explicit stack rather than recursion: a prompt of ten thousand '(' must not overflow.
  std::vector<Frame> frames;
  frames.push_back(Frame{start, 0, 0, {newList()}});
  std::size_t pos = start + 1;
  while (true) {
    int finished = -1;
    std::size_t finishedEnd = 0;
    if (!step(frames, pos, finished, finishedEnd)) {
      // The innermost structure failed, so every one around it fails too.
      for (const Frame& frame : frames) memoNode_[frame.start] = -1;
      return -1;
    }
    if (finished < 0) continue;
    memoNode_[frames.back().start] = finished;
    memoEnd_[frames.back().start] = finishedEnd;
    frames.pop_back();
    if (frames.empty()) {
      end = finishedEnd;
      return finished;
    }
    tree_.lists[frames.back().parts.back()].push_back(finished);
    pos = finishedEnd;
  }
}

bool ScheduleParser::step(std::vector<Frame>& frames, std::size_t& pos, int& finished,
                          std::size_t& end) {
  using Kind = ScheduleTree::Kind;
  if (pos >= text_.size()) return false;  // unclosed
  Frame& frame = frames.back();
  const int list = frame.parts.back();
  const char c = text_[pos];

  if (c == '\\') return escape(list, pos);
  if (c == '(' || c == '[') {
    const int memo = memoNode_[pos];
    if (memo == -1) return false;
    if (memo == -2) {
      frames.push_back(Frame{pos, 0, 0, {newList()}});  // invalidates `frame`
      ++pos;
      return true;
    }
    tree_.lists[list].push_back(memo);
    pos = memoEnd_[pos];
    return true;
  }
  if (!endsPlain(c)) {
    std::size_t runEnd = pos + 1;
    while (runEnd < text_.size() && !endsPlain(text_[runEnd])) ++runEnd;
    appendText(list, pos, runEnd);
    pos = runEnd;
    return true;
  }

  if (text_[frame.start] == '(') {
    if (c == ':' && frame.colons == 0) {  // "(" prompt ":" prompt ")" keeps its colon
      frame.colons = 1;
      appendText(list, pos, pos + 1);
      ++pos;
      return true;
    }
    if (c != ')') return false;
    finished = newNode(Kind::Group, frame.start, pos + 1);
    tree_.nodes[finished].lists = {frame.parts[0]};
    end = pos + 1;
    return true;
  }

  switch (c) {
    case ']':
      if (frame.colons > 0) return false;
      finished = newNode(frame.bars > 0 ? Kind::Alternate : Kind::Group, frame.start, pos + 1);
      tree_.nodes[finished].lists = frame.parts;
      end = pos + 1;
      return true;
    case '|':
      if (frame.colons > 0) return false;
      ++frame.bars;
      frame.parts.push_back(newList());
      ++pos;
      return true;
    case ':': {
      if (frame.bars > 0) return false;
      std::string number;
      const std::size_t close = matchWhen(pos + 1, number);
      if (close != kNone) {
        finished = newNode(Kind::Scheduled, frame.start, close + 1);
        ScheduleTree::Node& node = tree_.nodes[finished];
        node.lists = frame.colons == 0 ? std::vector<int>{-1, frame.parts[0]}
                                       : std::vector<int>{frame.parts[0], frame.parts[1]};
        node.number = std::move(number);
        end = close + 1;
        return true;
      }
      if (frame.colons > 0) return false;
      frame.colons = 1;
      frame.parts.push_back(newList());
      ++pos;
      return true;
    }
    default:  // ')'
      return false;
  }
}

}  // namespace celerity
