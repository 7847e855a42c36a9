#pragma once
// Shared helpers of the golden tests: where the reference vectors are, how to open them, and
// the project's tolerance rule max|out − ref| ≤ rel · max|ref| for float tensors.
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include <ATen/ATen.h>
#include <QString>
#include <QTest>

#include "io/SafetensorsFile.h"

namespace celerity::test {

// $CELERITY_GOLDEN_DIR, else the shared golden folder beside the checkout.
std::filesystem::path goldenDir();
std::filesystem::path goldenPath(const std::string& fileName);

// Opens a golden safetensors file; a missing or unreadable one throws (the test fails).
std::shared_ptr<SafetensorsFile> openGolden(const std::string& fileName);

// The case names of a `<case>.<name>` keyed file: every prefix before the first dot.
std::set<std::string> caseNames(const SafetensorsFile& file);

struct Comparison {
  bool ok = false;
  double maxAbsDiff = 0;
  double maxAbsRef = 0;
  std::string message;
};

// Float tensors: max|out − ref| ≤ relTolerance · max|ref|; integer tensors: exact.
Comparison compareTensors(const at::Tensor& out, const at::Tensor& ref,
                          double relTolerance = 1e-4);

// Writes the VAE of the checkpoint `checkpointFile` as a standalone VAE file (top-level
// CompVis names, as A1111's VAE downloads), with `decoderBiasShift` added to the decoder's
// last bias so that its images differ visibly when the shift is not 0.
void writeStandaloneVae(const std::filesystem::path& checkpointFile, const std::filesystem::path& out,
                        double decoderBiasShift = 0.0);

// Reads `<case>.<name>` (or `name` when caseName is empty) as an owned float32/int64 tensor.
at::Tensor caseTensor(const SafetensorsFile& file, const std::string& caseName,
                      const std::string& name);

}  // namespace celerity::test

// Fails the current test with the comparison's message unless the tensors agree.
#define CELERITY_COMPARE_TENSORS(label, out, ref)                                        \
  do {                                                                                   \
    const auto _cmp = ::celerity::test::compareTensors((out), (ref));                    \
    QVERIFY2(_cmp.ok, (std::string(label) + ": " + _cmp.message).c_str());               \
  } while (false)
