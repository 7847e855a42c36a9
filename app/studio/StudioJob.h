#pragma once
// One entry of the studio's job queue: what the controller dispatches to the worker.
#include <QString>
#include <optional>

#include "celerity/AbRunner.h"
#include "celerity/Engine.h"
#include "celerity/Request.h"

namespace celerity::studio {

struct StudioJob {
  JobId id = 0;
  JobKind kind = JobKind::Generate;
  Request request;
  QString label;  // what the queue shows: "txt2img 512×512, 20 steps: a cat in a hat"
  // Set for an A/B job: the worker runs the A/B runner on `request` instead of one job.
  std::optional<AbSettings> ab;
};

}  // namespace celerity::studio
