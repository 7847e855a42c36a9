#pragma once
// The part of ftfy.fix_text (python-ftfy 6.3) that CLIP's tokenizer relies on for prompts.
//
// Implemented, in ftfy's order and repeated until the text stops changing, per line:
//   unescape_html (only `&...;` references, and only while no line so far contained '<'),
//   fix_c1_controls (U+0080-009F read as Windows-1252), fix_latin_ligatures (ﬁ → fi, ĳ → ij),
//   fix_character_width (fullwidth ASCII U+FF01-FF5E and the ideographic space U+3000 to
//   their ASCII forms, plus the fullwidth/halfwidth punctuation and symbols FF5F-FF65 and
//   FFE0-FFEE), uncurl_quotes (‘ ’ ‚ ‛ ʼ → ', “ ” „ ‟ → "), fix_line_breaks,
//   remove_terminal_escapes and remove_control_chars.
// Not implemented: fix_encoding (mojibake detection, which needs ftfy's statistical
// heuristics and codec tables) and halfwidth katakana and Hangul (FF66-FFDC). The final NFC
// normalisation runs through ICU where the build has it (see UnicodeNormalization.h).
#include <string>
#include <string_view>

namespace celerity {

// `text` must be valid UTF-8.
std::string ftfyFixText(std::string_view text);

}  // namespace celerity
