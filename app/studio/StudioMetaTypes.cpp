#include "StudioMetaTypes.h"

namespace celerity::studio {

void registerStudioMetaTypes() {
  qRegisterMetaType<celerity::Job>();
  qRegisterMetaType<celerity::JobKind>();
  qRegisterMetaType<celerity::JobId>("celerity::JobId");
  qRegisterMetaType<celerity::ProgressEvent>();
  qRegisterMetaType<celerity::PreviewEvent>();
  qRegisterMetaType<celerity::ProfileSpan>();
  qRegisterMetaType<celerity::JobProfile>();
  qRegisterMetaType<celerity::JobOutput>();
  qRegisterMetaType<celerity::Error>();
  qRegisterMetaType<celerity::DeviceCapabilities>();
  qRegisterMetaType<std::vector<celerity::LoadedModelInfo>>();
  qRegisterMetaType<celerity::AbReport>();
}

}  // namespace celerity::studio
