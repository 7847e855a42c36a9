#include "runtime/StageProfiler.h"

#include <algorithm>
#include <utility>

#include "celerity/Error.h"

#if defined(__linux__)
#include <fcntl.h>
#include <unistd.h>
#endif

namespace celerity {

namespace {

std::string spanWhere(int index, const std::string& name) {
  return "span " + std::to_string(index) + " (" + name + ")";
}

}  // namespace

StageProfiler::StageProfiler(std::unique_ptr<DeviceTimer> timer)
    : timer_(timer ? std::move(timer) : std::make_unique<NullDeviceTimer>()),
      origin_(std::chrono::steady_clock::now()) {
#if defined(__linux__)
  statmFd_ = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  pageBytes_ = static_cast<std::int64_t>(::sysconf(_SC_PAGESIZE));
#endif
  timer_->peakBytesAndReset();  // the job's peaks start here
}

StageProfiler::~StageProfiler() {
#if defined(__linux__)
  if (statmFd_ >= 0) ::close(statmFd_);
#endif
}

void StageProfiler::setLabel(std::string label) { profile_.label = std::move(label); }
void StageProfiler::setDevice(std::string device) { profile_.device = std::move(device); }
void StageProfiler::setOptimizations(std::vector<std::string> ids) {
  profile_.optimizations = std::move(ids);
}

double StageProfiler::nowMs() const {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - origin_)
      .count();
}

void StageProfiler::begin(const std::string& name, int step) {
  throwIfFinished("begin", name);
  foldDevicePeak();  // the interval before this span belongs to the spans already open
  ProfileSpan span;
  span.name = name;
  span.step = step;
  if (!open_.empty()) {
    span.parent = open_.back().index;
    span.depth = profile_.spans[span.parent].depth + 1;
  }
  span.startMs = nowMs();
  span.endMs = span.startMs;
  const int index = static_cast<int>(profile_.spans.size());
  profile_.spans.push_back(std::move(span));
  events_.push_back(DeviceEvents{timer_->record(), -1});
  open_.push_back(OpenSpan{index, -1});
}

void StageProfiler::end(const std::string& name) {
  throwIfFinished("end", name);
  if (open_.empty()) {
    throw CelerityError(ErrorCode::Internal, "end(\"" + name + "\") with no span open",
                        "stage " + name);
  }
  const int index = open_.back().index;
  const std::string& innermost = profile_.spans[index].name;
  if (innermost != name) {
    throw CelerityError(ErrorCode::Internal,
                        "end(\"" + name + "\") does not match the innermost open span",
                        spanWhere(index, innermost));
  }
  closeInnermost(-1.0);
}

void StageProfiler::closeInnermost(double endMs) {
  const int index = open_.back().index;
  events_[index].end = timer_->record();
  foldDevicePeak();  // the last interval counts towards this span too
  ProfileSpan& span = profile_.spans[index];
  span.endMs = endMs >= 0.0 ? endMs : nowMs();
  const std::int64_t devicePeak = open_.back().peakBytes;
  span.memoryBytes = devicePeak >= 0 ? devicePeak : residentBytes();
  open_.pop_back();
}

const JobProfile& StageProfiler::finish() {
  if (finished_) return profile_;
  const double endMs = nowMs();
  while (!open_.empty()) closeInnermost(endMs);
  profile_.wallMs = endMs;
  // The only place that may wait for the device: every span's events at once.
  for (std::size_t i = 0; i < events_.size(); ++i) {
    const DeviceEvents& events = events_[i];
    if (events.begin >= 0 && events.end >= 0) {
      profile_.spans[i].deviceMs = timer_->elapsedMs(events.begin, events.end);
    }
  }
  finished_ = true;
  return profile_;
}

// Device peak since the last begin/end counts towards every span open during that interval.
void StageProfiler::foldDevicePeak() {
  const std::int64_t peak = timer_->peakBytesAndReset();
  if (peak < 0) return;
  for (OpenSpan& open : open_) open.peakBytes = std::max(open.peakBytes, peak);
}

std::int64_t StageProfiler::residentBytes() const {
#if defined(__linux__)
  if (statmFd_ < 0) return -1;
  // "size resident shared text lib data dt", in pages.
  char text[128];
  const ssize_t length = ::pread(statmFd_, text, sizeof text - 1, 0);
  if (length <= 0) return -1;
  const char* at = text;
  const char* const stop = text + length;
  while (at < stop && *at != ' ') ++at;  // skip "size"
  while (at < stop && *at == ' ') ++at;
  std::int64_t pages = 0;
  bool any = false;
  for (; at < stop && *at >= '0' && *at <= '9'; ++at, any = true) pages = pages * 10 + (*at - '0');
  return any ? pages * pageBytes_ : -1;
#else
  return -1;
#endif
}

// The message is built only when thrown: this runs on every begin/end.
void StageProfiler::throwIfFinished(const char* call, const std::string& name) const {
  if (finished_) {
    throw CelerityError(ErrorCode::Internal,
                        std::string(call) + "(\"" + name + "\") after the profile was finished",
                        "profile " + profile_.label);
  }
}

}  // namespace celerity
