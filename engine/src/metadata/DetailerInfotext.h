#pragma once
// ADetailer's infotext entries ("ADetailer model", "ADetailer confidence", …; tab n > 0 gets
// the suffix " 2nd", " 3rd", " 4th"), written as the extension writes them: only what differs
// from its defaults, so that A1111 with ADetailer reads Celerity's PNGs back into its tabs,
// and read back into DetailerParams (`--params-from`, drag and drop).
#include <string>
#include <utility>
#include <vector>

#include "celerity/DetailerOptions.h"

namespace celerity {

using InfotextPairs = std::vector<std::pair<std::string, std::string>>;

// Entries of every enabled tab (tab index = position in params.tabs).
InfotextPairs detailerInfotext(const DetailerParams& params);
// Tabs found in `pairs` (keys as above); returns false when there were none.
bool detailerFromInfotext(const InfotextPairs& pairs, DetailerParams& params);

// " 2nd", " 3rd", " 4th" for tabs 1, 2, 3; "" for tab 0.
std::string detailerTabSuffix(int tab);

}  // namespace celerity
