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

// The quantile heads from the last layer's raw outputs (rows x 2*horizons): the p50
// block as it is, then p90 = p50 + softplus(raw), so p90 never falls below p50.
torch::Tensor quantileHeads(const torch::Tensor &raw, int horizons);
// The same softplus for one value, as inference applies it without building tensors
// (LibTorch's: x itself above 20, where exp would lose nothing but precision).
float softplus(float raw);

// Weights and biases of a net with these widths, without building it.
long long parameterCount(int inputs, const std::vector<int> &hidden, int outputs);

} // namespace headroom::forecast
