#include "celerity/Events.h"

namespace celerity {

const char* previewMethodName(PreviewMethod method) {
  switch (method) {
    case PreviewMethod::None: return "none";
    case PreviewMethod::Projection: return "projection";
    case PreviewMethod::Taesd: return "taesd";
    case PreviewMethod::FullVae: return "vae";
    case PreviewMethod::Invalid: break;
  }
  return "invalid";
}

PreviewMethod previewMethodFromName(const std::string& name) {
  for (auto method : {PreviewMethod::None, PreviewMethod::Projection, PreviewMethod::Taesd, PreviewMethod::FullVae}) {
    if (name == previewMethodName(method)) return method;
  }
  throw CelerityError(ErrorCode::InvalidArgument,
                      "unknown preview method '" + name + "' (none, projection, taesd, vae)", "preview");
}

}  // namespace celerity
