#pragma once
// The request flags shared by `generate` and `bench`: model, prompts, sampling, img2img,
// inpaint, hires fix, optimization toggles (`--opt id=on|off`) and previews.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "celerity/Engine.h"
#include "celerity/Request.h"

namespace celerity::cli {

class RequestOptions {
 public:
  // Adds every request flag to `app`; `outputFolder` is the --out default ("" = no --out flag).
  void addTo(CLI::App& app, const std::string& outputFolder);
  // The request from the PNG's parameters (--params-from) with every explicit flag on top.
  // Throws CelerityError(InvalidArgument) naming the flag.
  Request build(const CLI::App& app) const;

  PreviewSettings previews() const;
  EngineOptions engineOptions() const;

 private:
  Request parsed_;
  std::string model_;
  std::string paramsFrom_;
  std::string vocab_;
  std::string device_ = "cpu";
  std::string resizeMode_ = "Just resize";
  std::string maskedContent_ = "original";
  std::vector<std::string> toggles_;
  std::string previewMethod_ = "none";
  int previewEvery_ = 1;
  std::vector<std::string> vaeApproxFolders_;
  std::vector<std::string> loraFolders_;
  // ADetailer: one tab per --adetailer model with the --ad-* settings, or --ad-json tabs.
  std::vector<std::string> detailerModels_;
  std::string detailerJson_;
  DetailerTab detailerTab_;
  std::string detailerInpaintSize_;
  int detailerSteps_ = 0;
  double detailerCfg_ = 0.0;
  std::string detailerSampler_;
  bool detailerSameSeed_ = false;
  bool detailerSkipImg2Img_ = false;
  bool detailerWholePicture_ = false;
  std::vector<std::string> detectorFolders_;
  std::string haarCascadeDir_;
  bool noHashing_ = false;

  DetailerParams detailerParams(const CLI::App& app) const;
};

}  // namespace celerity::cli
