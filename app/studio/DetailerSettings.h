#pragma once
// ADetailer's parameters in QSettings: the "detailer" group of the request, one subgroup per
// shown tab ("tab0" …), every DetailerTab field under its own key; an unset override has no
// key. Kept beside StudioSettings so that the request's keys stay in one place per feature.
#include <QSettings>

#include "celerity/DetailerOptions.h"

namespace celerity::studio {

// Reads the group `prefix` ("request/detailer"); missing keys keep DetailerTab's defaults,
// out-of-range enum values fall back to the default, at most DetailerParams::kMaxTabs tabs.
DetailerParams readDetailerParams(QSettings& settings, const QString& prefix);
// Replaces the group `prefix` with `params`.
void writeDetailerParams(QSettings& settings, const QString& prefix, const DetailerParams& params);

}  // namespace celerity::studio
