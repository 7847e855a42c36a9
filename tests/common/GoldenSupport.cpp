#include "common/GoldenSupport.h"

#include <cstdlib>
#include <sstream>

#include "celerity/Error.h"
#include "io/SafetensorsWriter.h"

namespace celerity::test {

std::filesystem::path goldenDir() {
  if (const char* fromEnv = std::getenv("CELERITY_GOLDEN_DIR"); fromEnv && *fromEnv) {
    return fromEnv;
  }
  return CELERITY_DEFAULT_GOLDEN_DIR;
}

std::filesystem::path goldenPath(const std::string& fileName) { return goldenDir() / fileName; }

std::shared_ptr<SafetensorsFile> openGolden(const std::string& fileName) {
  return SafetensorsFile::open(goldenPath(fileName));
}

std::set<std::string> caseNames(const SafetensorsFile& file) {
  std::set<std::string> names;
  for (const auto& info : file.tensors()) {
    const auto dot = info.name.find('.');
    if (dot != std::string::npos) names.insert(info.name.substr(0, dot));
  }
  return names;
}

Comparison compareTensors(const at::Tensor& out, const at::Tensor& ref, double relTolerance) {
  Comparison result;
  std::ostringstream message;
  if (!out.defined() || !ref.defined()) {
    result.message = "undefined tensor";
    return result;
  }
  if (out.sizes() != ref.sizes()) {
    message << "shape " << out.sizes() << " differs from reference " << ref.sizes();
    result.message = message.str();
    return result;
  }
  if (!ref.is_floating_point()) {
    const auto equal = at::equal(out.to(at::kCPU).to(ref.scalar_type()), ref.to(at::kCPU));
    result.ok = equal;
    result.message = equal ? "exact" : "integer tensors differ";
    return result;
  }
  const auto o = out.detach().to(at::kCPU, at::kDouble);
  const auto r = ref.detach().to(at::kCPU, at::kDouble);
  result.maxAbsDiff = (o - r).abs().max().item<double>();
  result.maxAbsRef = r.abs().max().item<double>();
  const bool finite = at::isfinite(o).all().item<bool>();
  result.ok = finite && result.maxAbsDiff <= relTolerance * result.maxAbsRef;
  message << "max|diff| " << result.maxAbsDiff << " vs limit " << relTolerance * result.maxAbsRef
          << " (max|ref| " << result.maxAbsRef << ")" << (finite ? "" : ", output not finite");
  result.message = message.str();
  return result;
}

at::Tensor caseTensor(const SafetensorsFile& file, const std::string& caseName,
                      const std::string& name) {
  const std::string key = caseName.empty() ? name : caseName + "." + name;
  return file.tensor(key).clone();
}

void writeStandaloneVae(const std::filesystem::path& checkpointFile, const std::filesystem::path& out,
                        double decoderBiasShift) {
  const auto source = SafetensorsFile::open(checkpointFile);
  const std::string prefix = "first_stage_model.";
  std::vector<std::pair<std::string, at::Tensor>> tensors;
  for (const auto& name : source->namesWithPrefix(prefix)) {
    const auto shortName = name.substr(prefix.size());
    auto value = source->tensor(name).clone();
    if (shortName == "decoder.conv_out.bias") value += decoderBiasShift;
    tensors.emplace_back(shortName, value);
  }
  writeSafetensors(out, tensors);
}

}  // namespace celerity::test
