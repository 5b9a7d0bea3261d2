#pragma once

// Internal to forecast/: includes LibTorch, so only forecast/*.cpp may include it.
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <vector>

namespace headroom::forecast {

// Fully connected layers with ReLU between them; the last layer is linear.
class ForecastNetImpl : public torch::nn::Module
{
public:
    ForecastNetImpl(int inputs, const std::vector<int> &hidden, int outputs);

    torch::Tensor forward(torch::Tensor x);

private:
    std::vector<torch::nn::Linear> m_layers;
};

TORCH_MODULE(ForecastNet);

// Weights and biases of a net with these widths, without building it.
long long parameterCount(int inputs, const std::vector<int> &hidden, int outputs);

} // namespace headroom::forecast
