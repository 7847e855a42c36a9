#pragma once
// One entry of the studio's job queue: what the controller dispatches to the worker.
#include <QString>

#include "celerity/Engine.h"
#include "celerity/Request.h"

namespace celerity::studio {

struct StudioJob {
  JobId id = 0;
  JobKind kind = JobKind::Generate;
  Request request;
  QString label;  // what the queue shows: "txt2img 512×512, 20 steps: a cat in a hat"
};

}  // namespace celerity::studio
