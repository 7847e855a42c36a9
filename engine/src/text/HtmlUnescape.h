#pragma once
// HTML character references, decoded as the reference tokenizer does: Python's
// html.unescape (applied twice by CLIP) and ftfy's stricter unescape_html step.
//
// The named-entity table is hand-written because no Debian C++ library provides
// html.unescape. It holds every entity that HTML5 accepts without a semicolon (the
// ISO-8859-1 set plus amp/lt/gt/quot and their legacy capitals), so the "longest legacy
// prefix" rule behaves exactly like Python's, and a small set of common
// semicolon-terminated names (typographic quotes and dashes, arrows, math symbols...).
// A name outside the table is left as text. Numeric references (&#NNN; &#xHH;) are complete,
// including HTML5's Windows-1252 remapping of 0x80-0x9F and its invalid code points.
#include <string>
#include <string_view>

namespace celerity {

// Python's html.unescape: `&name;`, legacy `&name` without semicolon, `&#NNN;`, `&#xHH;`.
std::string htmlUnescape(std::string_view text);

// ftfy's unescape_html: only `&#?[0-9A-Za-z]{1,24};` references that end in a semicolon,
// plus all-caps spellings of lower-case entity names (`&EACUTE;` → "É").
std::string ftfyUnescapeHtml(std::string_view text);

// The Windows-1252 character a C1 control byte (0x80-0x9F) stands for, as browsers and
// html.unescape read it; bytes that Windows-1252 leaves undefined map to themselves.
char32_t windows1252ForC1(char32_t c1);

}  // namespace celerity
