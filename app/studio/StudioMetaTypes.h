#pragma once
// The engine's plain value types as Qt meta-types, so that the worker thread can hand them to
// the GUI thread through queued signals. Call registerStudioMetaTypes() once before the
// first queued connection (EngineController's constructor does).
#include <QMetaType>
#include <memory>
#include <vector>

#include "celerity/AbRunner.h"
#include "celerity/Engine.h"
#include "celerity/Error.h"
#include "celerity/Events.h"
#include "celerity/Options.h"
#include "celerity/Profiler.h"

Q_DECLARE_METATYPE(celerity::Job)
Q_DECLARE_METATYPE(celerity::JobKind)
Q_DECLARE_METATYPE(celerity::ProgressEvent)
Q_DECLARE_METATYPE(celerity::PreviewEvent)
Q_DECLARE_METATYPE(celerity::ProfileSpan)
Q_DECLARE_METATYPE(celerity::JobProfile)
Q_DECLARE_METATYPE(celerity::JobOutput)
Q_DECLARE_METATYPE(celerity::Error)
Q_DECLARE_METATYPE(celerity::DeviceCapabilities)
Q_DECLARE_METATYPE(std::vector<celerity::LoadedModelInfo>)
Q_DECLARE_METATYPE(celerity::AbReport)

namespace celerity::studio {

void registerStudioMetaTypes();

}  // namespace celerity::studio
